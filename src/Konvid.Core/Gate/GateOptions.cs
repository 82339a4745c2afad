namespace Konvid.Core.Gate;

/// <summary>
/// Where PROMOTE registers the heads (<see cref="RegistryDir"/>), where the state page goes (<see cref="StateMdPath"/>,
/// null for none), and the corpus named in the verdict.
/// </summary>
public sealed record GateOptions(string RegistryDir, string? StateMdPath, string CorpusName, string CorpusVersion);
