namespace Konvid.Bench;

/// <summary>
/// One line of docs/benchmarks.md: our figure against the limit measured on the same machine in the same run
/// (null where the row has no limit, only a budget), the goal, and a note that explains a miss or the method.
/// </summary>
public sealed record BenchRow(string Name, Measured? Limit, Measured Ours, Goal? Goal, string? Note = null)
{
    /// <summary>Limit time over our time (medians): above 1 we are faster than the limit.</summary>
    public double? Ratio => Limit is null || Ours.Seconds.Median <= 0 ? null : Limit.Seconds.Median / Ours.Seconds.Median;

    /// <summary>Null where the row has no goal.</summary>
    public bool? Met => Goal?.IsMet(this);
}
