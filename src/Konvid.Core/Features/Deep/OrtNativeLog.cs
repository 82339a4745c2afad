using Microsoft.ML.OnnxRuntime;

namespace Konvid.Core.Features.Deep;

/// <summary>
/// ONNX Runtime reports why the CUDA provider library failed to load (e.g. "libcublasLt.so.13: cannot open shared
/// object file") only through its native log, painted on stderr in several red lines, while the exception says just
/// "Failed to load shared library". Konvid creates the process-wide ORT environment itself, before its first session,
/// with its log routed here: errors are kept so the fallback notice can name the reason on one line, and nothing is
/// printed (every ORT error that matters also surfaces as an exception). Set <see cref="EnvironmentVariable"/> to
/// error, warning, info or verbose to see ORT's own log on stderr from that level up.
/// </summary>
internal static class OrtNativeLog
{
    public const string EnvironmentVariable = "KONVID_ORT_LOG";

    private static readonly Lock Gate = new();
    private static readonly DOrtLoggingFunction Sink = Record;
    private static string? _lastError;
    private static OrtLoggingLevel? _shown;

    /// <summary>Creates the ORT environment with this log unless it exists; call before the first ORT session.</summary>
    public static void EnsureEnvironment()
    {
        lock (Gate)
        {
            if (OrtEnv.IsCreated) return;
            _shown = Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));
            var options = new EnvironmentCreationOptions
            {
                logId = "konvid",
                logLevel = _shown is { } shown && shown < OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR ? shown : OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                loggingFunction = Sink,
            };
            OrtEnv.CreateInstanceWithOptions(ref options);
        }
    }

    /// <summary>The last error ORT logged since the previous call, or null.</summary>
    public static string? TakeLastError() => Interlocked.Exchange(ref _lastError, null);

    internal static OrtLoggingLevel? Parse(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        null or "" or "off" or "quiet" => null,
        "verbose" => OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE,
        "info" => OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO,
        "warning" or "warn" => OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
        _ => OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };

    private static void Record(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        if (severity >= OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR) Volatile.Write(ref _lastError, message);
        if (_shown is { } shown && severity >= shown) Console.Error.WriteLine($"onnxruntime [{severity}] {codeLocation}: {message}");
    }
}
