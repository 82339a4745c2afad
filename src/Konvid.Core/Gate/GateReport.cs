using Konvid.Core.Train;
namespace Konvid.Core.Gate;

public enum GateVerdict { Promote, Hold }

/// <summary>One gate check: <see cref="Value"/> compared with <see cref="Threshold"/> by <see cref="Comparison"/> (">=" or "&lt;=").</summary>
public sealed record GateCheck(string Name, double Value, string Comparison, double Threshold, bool Pass);

/// <summary>The verdict, every check, the seeds' mean metrics, the verdict file written, and the registry (PROMOTE only).</summary>
public sealed record GateReport(
    GateVerdict Verdict,
    IReadOnlyList<GateCheck> Checks,
    IReadOnlyList<int> Seeds,
    ModelMetrics Mean,
    string VerdictPath,
    string? RegisteredDir,
    string Recommendation);
