using Konvid.Core.Workspace;

namespace Konvid.Core.Cluster;

/// <summary>Some array tasks failed; <see cref="Report"/> keeps every task's outcome for the caller.</summary>
public sealed class SlurmArrayException(SlurmArrayReport report)
    : KonvidException(
        $"Slurm array {report.JobId}: {report.Failed.Count} of {report.Tasks.Count} tasks failed: "
        + string.Join("; ", report.Failed.Select(t => t.ToString())),
        "read the task logs; re-submitting recomputes only the clips the failed tasks did not finish")
{
    public SlurmArrayReport Report { get; } = report;
}
