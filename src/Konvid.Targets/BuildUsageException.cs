namespace Konvid.Targets;

/// <summary>A command line the engine cannot act on (unknown target or parameter, bad value): one line, exit code 2.</summary>
public sealed class BuildUsageException(string message) : Exception(message);
