namespace Konvid.Core.Gate;

/// <summary>
/// Where PROMOTE registers the heads (<see cref="RegistryDir"/>), where the state page goes (<see cref="StateMdPath"/>,
/// null for none), the corpus named in the verdict, and the repository root (<see cref="RepositoryRoot"/>): paths
/// below it are written relative to it, so a page or verdict that gets committed never names a folder of this machine.
/// </summary>
public sealed record GateOptions(string RegistryDir, string? StateMdPath, string CorpusName, string CorpusVersion, string? RepositoryRoot = null);
