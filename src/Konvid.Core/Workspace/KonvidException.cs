namespace Konvid.Core.Workspace;

/// <summary>An expected failure: the engine prints it as one line naming the thing and the way out, never a stack trace.</summary>
public class KonvidException(string message, string? hint = null, Exception? inner = null)
    : Exception(hint is null ? message : $"{message}\n  -> {hint}", inner)
{
    public string Problem { get; } = message;
    public string? Hint { get; } = hint;
}
