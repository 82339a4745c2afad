namespace Konvid.Core.Cluster;

/// <summary>How one array task ended, as <c>scontrol show job</c> reported it (<c>ExitCode=exit:signal</c>).</summary>
public sealed record SlurmTaskResult(int TaskId, string State, int ExitCode, int Signal, string LogFile)
{
    public bool Succeeded => State == "COMPLETED" && ExitCode == 0 && Signal == 0;

    public override string ToString() =>
        $"task {TaskId} {State} exit {ExitCode}{(Signal != 0 ? $" signal {Signal}" : "")} (log {LogFile})";
}
