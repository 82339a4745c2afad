namespace Konvid.Core.Download;

/// <summary>How Download fetches: where from, how many clips at once, and how patiently.</summary>
public sealed record DownloadOptions
{
    /// <summary>http(s):// or file:// base; every catalog source is fetched from here + its file name.</summary>
    public string? Mirror { get; init; }

    /// <summary>The files under clips/ as the build engine listed them for this run: what tells whether an extracted archive's clips are all still there. Null states them here.</summary>
    public Workspace.FolderFiles? ClipsListed { get; init; }

    /// <summary>Concurrent transfers for per-clip lists.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>Also retry sources and clips recorded as permanently failed (404/410).</summary>
    public bool RetryFailed { get; init; }

    /// <summary>A request that neither answers nor delivers a byte for this long is abandoned and retried.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per source or clip within one run; what still fails is recorded and retried next run.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First retry delay; doubles per attempt (with jitter) unless the server sends Retry-After.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest Retry-After honoured; a server asking for more is waited on this long.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Above this share of lost items (percent) the run ends with a warning.</summary>
    public double AttritionWarnPercent { get; init; } = 10;

    /// <summary>Archive entries over 1 MiB that inflate more than this many times are refused as zip bombs.</summary>
    public double MaxCompressionRatio { get; init; } = 100;
}
