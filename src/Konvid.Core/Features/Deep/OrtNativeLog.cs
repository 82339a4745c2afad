using Microsoft.ML.OnnxRuntime;

namespace Konvid.Core.Features.Deep;

/// <summary>
/// ONNX Runtime reports why the CUDA provider library failed to load (e.g. "libcublasLt.so.13: cannot open shared
/// object file") only through its native log, painted on stderr, while the exception says just "Failed to load shared
/// library". When Konvid creates the process-wide ORT environment, its log goes here instead: errors are kept so the
/// fallback line can name the reason, and nothing is printed (every ORT error that matters also surfaces as an
/// exception). If something else created the environment first, ORT logs as it does by default and the reason is the
/// exception's message.
/// </summary>
internal static class OrtNativeLog
{
    private static readonly Lock Gate = new();
    private static readonly DOrtLoggingFunction Sink = Record;
    private static string? _lastError;

    public static void EnsureEnvironment()
    {
        lock (Gate)
        {
            if (OrtEnv.IsCreated) return;
            var options = new EnvironmentCreationOptions
            {
                logId = "konvid",
                logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                loggingFunction = Sink,
            };
            OrtEnv.CreateInstanceWithOptions(ref options);
        }
    }

    /// <summary>The last error ORT logged since the previous call, or null.</summary>
    public static string? TakeLastError() => Interlocked.Exchange(ref _lastError, null);

    private static void Record(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        if (severity >= OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR) Volatile.Write(ref _lastError, message);
    }
}
