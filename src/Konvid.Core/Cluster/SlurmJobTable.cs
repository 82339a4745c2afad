using System.Globalization;
using System.Text.RegularExpressions;

namespace Konvid.Core.Cluster;

/// <summary>
/// Reads per-task state from <c>scontrol -o show job &lt;array id&gt;</c>: one line per started task, plus one line for
/// the tasks still pending together (<c>ArrayTaskId=3-7%2</c>). Without accounting, sacct knows nothing, so this
/// is the only place exit codes are found.
/// </summary>
internal static partial class SlurmJobTable
{
    internal readonly record struct TaskState(int TaskId, string State, int ExitCode, int Signal, string Reason);

    /// <summary>States after which a task never runs again (Slurm's job_state_string for completed jobs).</summary>
    private static readonly HashSet<string> TerminalStates =
    [
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY",
    ];

    /// <summary>
    /// Pending reasons that no amount of waiting resolves: the request exceeds the partition (cores, memory, time),
    /// names a constraint no node has, or depends on a job that can no longer succeed. Slurm leaves such jobs
    /// pending forever instead of refusing them.
    /// </summary>
    private static readonly HashSet<string> HopelessReasons =
    [
        "PartitionConfig", "PartitionNodeLimit", "PartitionTimeLimit", "BadConstraints", "DependencyNeverSatisfied", "InvalidAccount", "InvalidQOS",
    ];

    public static bool IsTerminal(string state) => TerminalStates.Contains(state);

    public static bool CanNeverStart(TaskState task) => task.State == "PENDING" && HopelessReasons.Contains(task.Reason);

    public static IReadOnlyList<TaskState> Parse(string scontrolOutput)
    {
        var tasks = new List<TaskState>();
        foreach (var line in scontrolOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ids = Field(line, "ArrayTaskId");
            var state = Field(line, "JobState");
            if (ids is null || state is null) continue;
            var (exit, signal) = ParseExitCode(Field(line, "ExitCode") ?? "0:0");
            var reason = Field(line, "Reason") ?? "None";
            tasks.AddRange(ExpandTaskIds(ids).Select(id => new TaskState(id, state, exit, signal, reason)));
        }
        return tasks;
    }

    /// <summary>Expands "0-2", "3,5-7", "1-9:2" and "0-15%4" (a throttle, not part of the set).</summary>
    internal static IEnumerable<int> ExpandTaskIds(string expression)
    {
        var set = expression.Split('%')[0];
        foreach (var item in set.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var stepParts = item.Split(':');
            var step = stepParts.Length > 1 ? int.Parse(stepParts[1], CultureInfo.InvariantCulture) : 1;
            var bounds = stepParts[0].Split('-');
            var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var last = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
            for (var id = first; id <= last; id += step) yield return id;
        }
    }

    private static (int Exit, int Signal) ParseExitCode(string text)
    {
        var parts = text.Split(':');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0);
    }

    private static string? Field(string line, string key)
    {
        var match = FieldPattern().Matches(line).FirstOrDefault(m => m.Groups[1].Value == key);
        return match?.Groups[2].Value;
    }

    [GeneratedRegex(@"(?:^|\s)([A-Za-z_:/]+)=(\S*)")]
    private static partial Regex FieldPattern();
}
