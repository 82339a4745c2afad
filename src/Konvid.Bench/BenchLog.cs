namespace Konvid.Bench;

/// <summary>What the benchmarks of one run have found so far; filled in order, rendered once at the end.</summary>
internal sealed class BenchLog
{
    public List<BenchRow> Rows { get; } = [];
    public List<Omission> Omitted { get; } = [];
    public List<ScaleEstimate> Estimates { get; } = [];
    public List<string> Notes { get; } = [];

    /// <summary>Per-frame CPU costs that feed the extrapolation, keyed by what was measured.</summary>
    public Dictionary<string, double> CoreSecondsPer540pClip { get; } = new(StringComparer.Ordinal);
}
