namespace Konvid.Targets;

/// <summary>One declared parameter: the member it binds and its names on the command line and in the environment.</summary>
public sealed record ParameterInfo(string Member, string CliName, string EnvName, string Description, Type Type, string? DefaultText);
