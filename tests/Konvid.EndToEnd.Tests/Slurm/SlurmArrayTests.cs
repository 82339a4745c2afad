using Konvid.Core.Cluster;
using Konvid.EndToEnd.Tests.Support;

namespace Konvid.EndToEnd.Tests.Slurm;

/// <summary>SlurmArray against a real slurmctld/slurmd/munged on 127.0.0.1, with small shell commands as tasks.</summary>
public sealed class SlurmArrayTests(SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SlurmFact]
    public async Task The_test_cluster_comes_up_with_one_idle_node_on_localhost()
    {
        var node = await cluster.ClientAsync("scontrol", "-o", "show", "node", "localhost");
        Assert.Equal(0, node.ExitCode);
        Assert.Contains("State=IDLE", node.StandardOutput);
        Assert.Contains("NodeAddr=127.0.0.1", node.StandardOutput);
    }

    [SlurmFact]
    public async Task Every_task_runs_its_own_shard_and_reports_exit_code_zero()
    {
        var dir = cluster.NewDirectory("all-ok");
        var spec = Spec("all-ok", dir, """echo "$1" > "$2/shard-$SLURM_ARRAY_TASK_ID" """, SlurmJobSpec.ShardPlaceholder, dir);

        var report = await SlurmArray.RunAsync(spec, new SlurmTestProgress(), Timeout());

        Assert.Equal([0, 1, 2], report.Tasks.Select(t => t.TaskId));
        Assert.All(report.Tasks, t => Assert.Equal(("COMPLETED", 0, 0), (t.State, t.ExitCode, t.Signal)));
        Assert.True(report.Succeeded);
        Assert.Equal(["0/3", "1/3", "2/3"], Enumerable.Range(0, 3).Select(i => File.ReadAllText(Path.Combine(dir, $"shard-{i}")).Trim()));
        Assert.All(report.Tasks, t => Assert.Contains($"konvid: task {t.TaskId}/3 of array {report.JobId}", File.ReadAllText(t.LogFile)));
    }

    [SlurmFact]
    public async Task A_failed_task_is_named_with_its_exit_code_and_log_and_fails_the_run()
    {
        var dir = cluster.NewDirectory("one-fails");
        var spec = Spec("one-fails", dir, """
            if [ "$SLURM_ARRAY_TASK_ID" = 1 ]; then echo "decoder exploded on clip x" >&2; exit 7; fi
            touch "$1/ran-$SLURM_ARRAY_TASK_ID"
            """, dir);

        var error = await Assert.ThrowsAsync<SlurmArrayException>(() => SlurmArray.RunAsync(spec, new SlurmTestProgress(), Timeout()));

        var failed = Assert.Single(error.Report.Failed);
        Assert.Equal((1, "FAILED", 7), (failed.TaskId, failed.State, failed.ExitCode));
        Assert.Equal([0, 2], error.Report.Tasks.Where(t => t.Succeeded).Select(t => t.TaskId));
        Assert.DoesNotContain('\n', error.Problem);
        Assert.Contains("task 1 FAILED exit 7", error.Problem);
        Assert.Contains(failed.LogFile, error.Problem);
        Assert.Contains("decoder exploded on clip x", File.ReadAllText(failed.LogFile));
        Assert.True(File.Exists(Path.Combine(dir, "ran-0")) && File.Exists(Path.Combine(dir, "ran-2")));
    }

    [SlurmFact]
    public async Task An_array_asking_for_more_than_the_partition_has_fails_at_once_instead_of_waiting_forever()
    {
        var dir = cluster.NewDirectory("too-big");
        var spec = Spec("too-big", dir, "true") with { SbatchOptions = [$"--cpus-per-task={Environment.ProcessorCount + 1}"] };
        var progress = new SlurmTestProgress();

        var error = await Assert.ThrowsAsync<Konvid.Core.Workspace.KonvidException>(() => SlurmArray.RunAsync(spec, progress, Timeout()));

        Assert.Contains("can never start (Reason=PartitionConfig)", error.Problem);
        Assert.Contains("--cpus-per-task", error.Hint);
        await WaitForAsync(async () => !(await cluster.ClientAsync("scontrol", "-o", "show", "job", progress.LastArrayId())).StandardOutput.Contains("JobState=PENDING"));
    }

    [SlurmFact]
    public async Task A_cancelled_array_is_scancelled_and_its_resubmission_finishes_without_redoing_finished_items()
    {
        // Nine items, item i belongs to shard i mod 3; each task skips items whose result exists (the per-clip cache
        // of Probe/Features in miniature) and logs every item it really computes.
        var dir = cluster.NewDirectory("resubmit");
        var spec = Spec("resubmit", dir, """
            work=$1; shard=$2; i=${shard%/*}; n=${shard#*/}
            for item in $(seq "$i" "$n" 8); do
              [ -e "$work/done-$item" ] && continue
              while [ -e "$work/hold-$item" ]; do sleep 0.1; done
              echo "$item" >> "$work/computed"
              echo "$item by $shard" > "$work/.done-$item.tmp" && mv "$work/.done-$item.tmp" "$work/done-$item"
            done
            """, dir, SlurmJobSpec.ShardPlaceholder);
        File.WriteAllText(Path.Combine(dir, "hold-5"), "task 2 stops here until the test lets it go");

        var progress = new SlurmTestProgress();
        using var cancel = new CancellationTokenSource(Patience);
        var first = SlurmArray.RunAsync(spec, progress, cancel.Token);
        await WaitForAsync(() => Task.FromResult(new[] { 0, 1, 2, 3, 4, 6, 7 }.All(i => File.Exists(Path.Combine(dir, $"done-{i}")))));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        // scancel is asynchronous: the task passes through COMPLETING while slurmd kills it.
        await WaitForAsync(async () => Compact((await cluster.ClientAsync("scontrol", "-o", "show", "job", progress.LastArrayId())).StandardOutput)
            .Contains("ArrayTaskId=2 JobState=CANCELLED"));
        Assert.False(File.Exists(Path.Combine(dir, "done-5")));

        File.Delete(Path.Combine(dir, "hold-5"));
        var second = await SlurmArray.RunAsync(spec, progress, Timeout());

        Assert.True(second.Succeeded);
        var computed = File.ReadAllLines(Path.Combine(dir, "computed")).Select(int.Parse).ToList();
        Assert.Equal(Enumerable.Range(0, 9), computed.Order());
    }

    /// <summary>Keeps only the fields the assertion reads, in order, per task line.</summary>
    private static string Compact(string scontrol) => string.Join('\n', scontrol.Split('\n').Select(line =>
        string.Join(' ', line.Split(' ').Where(f => f.StartsWith("ArrayTaskId=", StringComparison.Ordinal) || f.StartsWith("JobState=", StringComparison.Ordinal)))));

    private SlurmJobSpec Spec(string name, string dir, string script, params string[] args) =>
        new(name, ["bash", "-c", script, name, .. args], 3, dir, Path.Combine(dir, "logs"), SlurmConf: cluster.SlurmConf);

    private static CancellationToken Timeout() => new CancellationTokenSource(Patience).Token;

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Patience, "the array did not reach the expected point in time");
            await Task.Delay(50);
        }
    }
}
