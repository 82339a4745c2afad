namespace Konvid.Testing;

/// <summary>How <see cref="FaultServer"/> answers one request for a path.</summary>
public abstract record Fault
{
    /// <summary>Serves the body, honouring "Range: bytes=N-" with 206 and a correct Content-Range.</summary>
    public static readonly Fault None = new NoneFault();

    /// <summary>Accepts the request and never sends a header or a byte.</summary>
    public static readonly Fault Stall = new StallFault(null);

    /// <summary>Always 200 with the whole body, whatever Range asked for.</summary>
    public static readonly Fault IgnoreRange = new IgnoreRangeFault();

    /// <summary>206 claiming to start at byte 0 whatever Range asked for, followed by the whole body.</summary>
    public static readonly Fault WrongContentRange = new WrongContentRangeFault();

    public static Fault Status(int code, int? retryAfterSeconds = null) => new StatusFault(code, retryAfterSeconds);

    /// <summary>Starts like <see cref="None"/> (full length declared) and resets the connection after <paramref name="bytes"/>.</summary>
    public static Fault ResetAfter(long bytes) => new ResetFault(bytes);

    /// <summary>Sends the headers and <paramref name="bytes"/> body bytes, then goes silent with the connection open.</summary>
    public static Fault StallAfter(long bytes) => new StallFault(bytes);

    /// <summary>Declares a Content-Length <paramref name="delta"/> bytes off the truth: longer ones are cut short, shorter ones end early.</summary>
    public static Fault WrongContentLength(long delta) => new WrongLengthFault(delta);

    /// <summary>302 to <paramref name="location"/> (relative to the server root).</summary>
    public static Fault Redirect(string location) => new RedirectFault(location);

    /// <summary>Like <see cref="None"/>, in chunks of <paramref name="chunk"/> bytes with a pause between them.</summary>
    public static Fault Throttle(int chunk, TimeSpan pause) => new ThrottleFault(chunk, pause);

    internal sealed record NoneFault : Fault;
    internal sealed record StallFault(long? AfterBytes) : Fault;
    internal sealed record IgnoreRangeFault : Fault;
    internal sealed record WrongContentRangeFault : Fault;
    internal sealed record StatusFault(int Code, int? RetryAfterSeconds) : Fault;
    internal sealed record ResetFault(long Bytes) : Fault;
    internal sealed record WrongLengthFault(long Delta) : Fault;
    internal sealed record RedirectFault(string Location) : Fault;
    internal sealed record ThrottleFault(int Chunk, TimeSpan Pause) : Fault;
}
