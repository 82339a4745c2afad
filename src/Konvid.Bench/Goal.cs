namespace Konvid.Bench;

/// <summary>What a row must reach: a speed ratio against its limit, or an absolute time (and memory) budget.</summary>
public abstract record Goal
{
    public abstract bool IsMet(BenchRow row);

    public abstract string Text { get; }
}

/// <summary>Our throughput is at least <paramref name="Ratio"/> times the limit's (limit time / our time, medians).</summary>
public sealed record RatioAtLeast(double Ratio) : Goal
{
    public override bool IsMet(BenchRow row) => row.Ratio is { } r && r >= Ratio;

    public override string Text => $">= {BenchFormat.Number(Ratio)}x";
}

/// <summary>Our median time is at most <paramref name="Seconds"/>, and the peak memory at most <paramref name="PeakRssMb"/> when given.</summary>
public sealed record WithinBudget(double Seconds, double? PeakRssMb = null, string? Why = null) : Goal
{
    public override bool IsMet(BenchRow row) =>
        row.Ours.Seconds.Median <= Seconds && (PeakRssMb is not { } mb || row.Ours.PeakRssMb is { } peak && peak <= mb);

    public override string Text =>
        $"<= {BenchFormat.Seconds(Seconds)}" + (PeakRssMb is { } mb ? $", <= {BenchFormat.Number(mb)} MB" : "") + (Why is null ? "" : $" ({Why})");
}
