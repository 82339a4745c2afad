using Konvid.Core.Cluster;

namespace Konvid.Core.Tests.Cluster;

public class SlurmJobTableTests
{
    // Shortened lines of `scontrol -o show job 1` from Slurm 22.05 while task 0 ran, task 1 had failed and 2-3 were pending.
    private const string MidRun = """
        JobId=1 ArrayJobId=1 ArrayTaskId=2-3 JobName=wrap UserId=root(0) JobState=PENDING Reason=Resources Dependency=(null) ExitCode=0:0 AllocNode:Sid=localhost:4627 CPUs/Task=1 ReqB:S:C:T=0:0:*:* StdOut=/tmp/w/out/t-%a.log Power=
        JobId=3 ArrayJobId=1 ArrayTaskId=1 JobName=wrap UserId=root(0) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=3:0 StdOut=/tmp/w/out/t-1.log Power=
        JobId=2 ArrayJobId=1 ArrayTaskId=0 JobName=wrap UserId=root(0) JobState=RUNNING Reason=None Dependency=(null) ExitCode=0:0 StdOut=/tmp/w/out/t-0.log Power=
        JobId=4 ArrayJobId=1 ArrayTaskId=4 JobName=wrap UserId=root(0) JobState=CANCELLED Reason=None Dependency=(null) ExitCode=0:15 StdOut=/tmp/w/out/t-4.log Power=

        """;

    [Fact]
    public void Reads_state_and_exit_code_of_every_task_including_the_pending_group()
    {
        var tasks = SlurmJobTable.Parse(MidRun).OrderBy(t => t.TaskId).ToList();

        Assert.Equal(
            [(0, "RUNNING", 0, 0), (1, "FAILED", 3, 0), (2, "PENDING", 0, 0), (3, "PENDING", 0, 0), (4, "CANCELLED", 0, 15)],
            tasks.Select(t => (t.TaskId, t.State, t.ExitCode, t.Signal)));
    }

    [Fact]
    public void A_task_pending_for_a_request_the_partition_cannot_meet_is_recognised_as_never_starting()
    {
        var stuck = SlurmJobTable.Parse("JobId=9 ArrayJobId=9 ArrayTaskId=0-2 JobState=PENDING Reason=PartitionConfig Dependency=(null) ExitCode=0:0\n");

        Assert.Equal(3, stuck.Count);
        Assert.All(stuck, t => Assert.True(SlurmJobTable.CanNeverStart(t)));
        // Waiting for Resources (other jobs hold the cores) is ordinary queueing, not a dead end.
        Assert.DoesNotContain(SlurmJobTable.Parse(MidRun), SlurmJobTable.CanNeverStart);
    }

    [Theory]
    [InlineData("0-2", new[] { 0, 1, 2 })]
    [InlineData("3,5-7", new[] { 3, 5, 6, 7 })]
    [InlineData("1-9:4", new[] { 1, 5, 9 })]
    [InlineData("0-3%2", new[] { 0, 1, 2, 3 })]
    [InlineData("12", new[] { 12 })]
    public void Expands_every_array_task_expression_slurm_prints(string expression, int[] ids) =>
        Assert.Equal(ids, SlurmJobTable.ExpandTaskIds(expression));

    [Theory]
    [InlineData("COMPLETED", true)]
    [InlineData("FAILED", true)]
    [InlineData("CANCELLED", true)]
    [InlineData("TIMEOUT", true)]
    [InlineData("OUT_OF_MEMORY", true)]
    [InlineData("PENDING", false)]
    [InlineData("RUNNING", false)]
    [InlineData("COMPLETING", false)]
    [InlineData("REQUEUED", false)]
    public void Only_states_after_which_a_task_never_runs_again_end_the_wait(string state, bool terminal) =>
        Assert.Equal(terminal, SlurmJobTable.IsTerminal(state));

    [Fact]
    public void A_failed_task_reads_as_failed_with_its_exit_code_and_a_signal_as_failed_too()
    {
        Assert.False(new SlurmTaskResult(1, "FAILED", 3, 0, "l").Succeeded);
        Assert.False(new SlurmTaskResult(1, "CANCELLED", 0, 15, "l").Succeeded);
        Assert.False(new SlurmTaskResult(1, "COMPLETED", 0, 9, "l").Succeeded);
        Assert.True(new SlurmTaskResult(1, "COMPLETED", 0, 0, "l").Succeeded);
    }
}
