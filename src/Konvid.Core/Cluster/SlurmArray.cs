using System.ComponentModel;
using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Workspace;

namespace Konvid.Core.Cluster;

/// <summary>
/// Runs one command as a Slurm array job on the cluster's own scheduler: writes the batch script, submits
/// <c>sbatch --parsable --array=0-(N-1)</c> once, polls <c>scontrol -o show job</c> until every task has ended,
/// and fails naming the failed tasks and their logs. Cancelling the token cancels the array (<c>scancel</c>).
/// </summary>
public static class SlurmArray
{
    /// <summary>How long the controller may stay unreachable before waiting is given up (it restarts, it does not vanish).</summary>
    private static readonly TimeSpan ControllerPatience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Polling backs off from the base interval to this while nothing ends: hours-long arrays would otherwise have
    /// slurmctld dump every task five times a second, which shared clusters' admins rightly forbid.
    /// </summary>
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(5);

    public static async Task<SlurmArrayReport> RunAsync(SlurmJobSpec spec, IProgressReporter progress, CancellationToken ct)
    {
        if (spec.TaskCount < 1)
            throw new KonvidException($"Slurm array '{spec.JobName}': {spec.TaskCount} tasks requested", "ask for at least one task (the N of --shard I/N)");
        if (spec.JobName.Length == 0 || !spec.JobName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new KonvidException($"Slurm array '{spec.JobName}': the job name also names files", "use letters, digits, '-', '_' and '.' (e.g. konvid-features)");
        if (spec.Command.Count == 0)
            throw new KonvidException($"Slurm array '{spec.JobName}': no command to run", "pass the built _build.dll and its arguments");

        var logDir = Path.GetFullPath(spec.LogDirectory);
        Directory.CreateDirectory(logDir);
        await AtomicFile.WriteAllTextAsync(spec.ScriptPath, SlurmBatchScript.Render(spec), ct);

        var stopwatch = Stopwatch.StartNew();
        var jobId = await SubmitAsync(spec, ct);
        progress.Info($"Slurm array {jobId}: {spec.TaskCount} tasks of '{spec.JobName}', logs in {logDir}");

        try
        {
            var tasks = await WaitAsync(spec, jobId, progress, ct);
            var report = new SlurmArrayReport(jobId, tasks, stopwatch.Elapsed);
            if (!report.Succeeded) throw new SlurmArrayException(report);
            return report;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The tasks belong to the cluster, not to this process: without scancel they would run on after we gave up.
            await RunSlurmAsync(spec, "scancel", [jobId], CancellationToken.None);
            progress.Warn($"Slurm array {jobId}: cancelled (scancel {jobId}); re-submitting recomputes only unfinished clips");
            throw;
        }
    }

    private static async Task<string> SubmitAsync(SlurmJobSpec spec, CancellationToken ct)
    {
        string[] args =
        [
            "--parsable",
            $"--array=0-{spec.TaskCount - 1}",
            $"--job-name={spec.JobName}",
            $"--output={Path.Combine(Path.GetFullPath(spec.LogDirectory), spec.JobName)}-%A_%a.log",
            $"--chdir={Path.GetFullPath(spec.WorkingDirectory)}",
            .. spec.SbatchOptions ?? [],
            spec.ScriptPath,
        ];
        var result = await RunSlurmAsync(spec, "sbatch", args, ct);
        if (result.ExitCode != 0)
            throw new KonvidException($"sbatch refused array '{spec.JobName}': {OneLine(result.StandardError)}",
                $"check the #SBATCH options and the cluster (SLURM_CONF={spec.SlurmConf ?? Environment.GetEnvironmentVariable("SLURM_CONF") ?? "unset"})");
        // --parsable prints "jobid" or "jobid;cluster".
        return result.StandardOutput.Trim().Split(';')[0];
    }

    private static async Task<IReadOnlyList<SlurmTaskResult>> WaitAsync(SlurmJobSpec spec, string jobId, IProgressReporter progress, CancellationToken ct)
    {
        var baseInterval = spec.PollInterval ?? TimeSpan.FromMilliseconds(200);
        var interval = baseInterval;
        var ended = new SortedDictionary<int, SlurmTaskResult>();
        var unreachableSince = (Stopwatch?)null;
        using var bar = progress.Start($"Slurm array {jobId}", spec.TaskCount, "tasks");
        while (true)
        {
            var result = await RunSlurmAsync(spec, "scontrol", ["-o", "show", "job", jobId], ct);
            if (result.ExitCode != 0)
            {
                unreachableSince ??= Stopwatch.StartNew();
                if (unreachableSince.Elapsed > ControllerPatience)
                    throw new KonvidException($"Slurm array {jobId}: scontrol show job fails: {OneLine(result.StandardError)}",
                        $"the tasks may still run; check with squeue -j {jobId} and scancel {jobId} before re-submitting");
            }
            else
            {
                unreachableSince = null;
                var states = SlurmJobTable.Parse(result.StandardOutput);
                if (states.Where(SlurmJobTable.CanNeverStart).ToList() is [var stuck, ..])
                {
                    await RunSlurmAsync(spec, "scancel", [jobId], CancellationToken.None);
                    throw new KonvidException($"Slurm array {jobId}: task {stuck.TaskId} can never start (Reason={stuck.Reason}); the array was cancelled",
                        "the request exceeds what the partition offers: lower --cpus-per-task, --mem or --time in the sbatch options, or pick another --partition");
                }
                var endedBefore = ended.Count;
                foreach (var task in states)
                {
                    if (!SlurmJobTable.IsTerminal(task.State) || ended.ContainsKey(task.TaskId)) continue;
                    var outcome = new SlurmTaskResult(task.TaskId, task.State, task.ExitCode, task.Signal, spec.LogFile(jobId, task.TaskId));
                    ended[task.TaskId] = outcome;
                    bar.Advance();
                    if (!outcome.Succeeded) progress.Warn($"Slurm array {jobId}: {outcome}");
                }
                if (ended.Count >= spec.TaskCount) return ended.Values.ToList();
                interval = ended.Count > endedBefore ? baseInterval : TimeSpan.FromTicks(Math.Min(MaxPollInterval.Ticks, (long)(interval.Ticks * 1.25)));
            }
            await Task.Delay(interval, ct);
        }
    }

    private static async Task<BufferedCommandResult> RunSlurmAsync(SlurmJobSpec spec, string tool, IReadOnlyList<string> args, CancellationToken ct)
    {
        var command = Cli.Wrap(tool).WithArguments(args).WithValidation(CommandResultValidation.None);
        if (spec.SlurmConf is not null)
            command = command.WithEnvironmentVariables(env => env.Set("SLURM_CONF", Path.GetFullPath(spec.SlurmConf)));
        try
        {
            return await command.ExecuteBufferedAsync(ct);
        }
        catch (Win32Exception e)
        {
            throw new KonvidException($"{tool} cannot be started: {e.Message}",
                "run on a Slurm submit host (Debian: apt-get install slurm-client) with SLURM_CONF pointing at the cluster's slurm.conf");
        }
    }

    private static string OneLine(string text) => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
