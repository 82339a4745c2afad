namespace Konvid.Bench;

/// <summary>What one Bench run measured; <see cref="MarkdownPath"/> is the docs/benchmarks.md it rewrote.</summary>
public sealed record BenchReport(
    MachineFacts Machine,
    bool Quick,
    int Runs,
    int Jobs,
    IReadOnlyList<BenchRow> Rows,
    IReadOnlyList<Omission> Omitted,
    IReadOnlyList<ScaleEstimate> Extrapolation,
    IReadOnlyList<string> Notes,
    string MarkdownPath,
    TimeSpan Elapsed)
{
    public int Measured => Rows.Count;

    public int Missed => Rows.Count(r => r.Met == false);

    public int NotMeasured => Omitted.Count;
}
