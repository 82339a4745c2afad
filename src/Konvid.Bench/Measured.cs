namespace Konvid.Bench;

/// <summary>
/// One side of a row: what ran (<paramref name="What"/>), how long it took, and optionally the work it did
/// (<paramref name="Work"/> <paramref name="Unit"/>, e.g. 268435456 "B" or 240 "clips") to show a throughput, and
/// the peak resident memory it needed over the process's baseline (<see cref="PeakRss"/>).
/// </summary>
public sealed record Measured(string What, Timing Seconds, double? Work = null, string? Unit = null, double? PeakRssMb = null)
{
    /// <summary>Work per second at the median time.</summary>
    public double? Throughput => Work is { } w && Seconds.Median > 0 ? w / Seconds.Median : null;
}
