namespace Konvid.Core.Cluster;

/// <summary>The outcome of one array job: every task's end state and exit code, in task order.</summary>
public sealed record SlurmArrayReport(string JobId, IReadOnlyList<SlurmTaskResult> Tasks, TimeSpan Elapsed)
{
    public IReadOnlyList<SlurmTaskResult> Failed => Tasks.Where(t => !t.Succeeded).ToList();

    public bool Succeeded => Failed.Count == 0;
}
