namespace Konvid.Bench;

/// <summary>A no-op re-run: within <paramref name="Seconds"/>, and every target reported up to date (none re-ran).</summary>
public sealed record NoOpBudget(double Seconds, IReadOnlyList<string> NotUpToDate) : Goal
{
    public override bool IsMet(BenchRow row) => row.Ours.Seconds.Median <= Seconds && NotUpToDate.Count == 0;

    public override string Text => $"<= {BenchFormat.Seconds(Seconds)}, every target up to date";
}
