
namespace Konvid.Bench.Tests;

public class BuildScriptTests
{
    // The engine's summary table as ./build.sh prints it when its output is not a terminal (BuildConsole.PrintSummary).
    private const string Output = """
        ── Download ──
        Download: unknown corpus 'sample': no /repo/corpora/sample.yaml
                                                         
          Target     Status       Duration   Note                                  
        ────────────────────────────────────────────────────────────────
          Download   up to date   0.0s                                        
          Verify     done         12.5s                                       
          Probe      failed       0.3s       Probe: not implemented yet   
          Features   skipped      0.0s       Probe did not succeed        
                                                         
        Build failed (12.8s)
        """;

    [Fact]
    public void Reads_every_target_status_duration_and_note_from_the_summary()
    {
        var targets = BuildScript.ParseSummary(Output);
        Assert.Equal(
            [
                new TargetLine("Download", "up to date", 0.0, ""),
                new TargetLine("Verify", "done", 12.5, ""),
                new TargetLine("Probe", "failed", 0.3, "Probe: not implemented yet"),
                new TargetLine("Features", "skipped", 0.0, "Probe did not succeed"),
            ], targets);
    }

    [Fact]
    public void A_run_that_re_ran_a_target_is_not_a_no_op()
    {
        var run = new BuildRun(1, 12.8, BuildScript.ParseSummary(Output), Output);
        Assert.Equal(["Verify (done)", "Probe (failed)", "Features (skipped)"], BuildScript.NotUpToDate([run]));
        Assert.Equal("Probe: Probe: not implemented yet", BuildScript.Why(run));
        Assert.True(BuildScript.NotBuiltYet(run));
        Assert.Equal(12.8, run.SecondsOf("Verify", "Probe"), 9);
    }

    [Fact]
    public void An_aggregate_target_done_in_no_time_does_not_break_a_no_op()
    {
        const string noOp = """
              Target     Status       Duration   Note
            ──────────────────────────────────────────
              Download   up to date   0.0s
              Jsonl      up to date   0.0s
              Phase1     done         0.0s
            """;
        var run = new BuildRun(0, 0.7, BuildScript.ParseSummary(noOp), noOp);
        Assert.Empty(BuildScript.NotUpToDate([run], "Phase1"));
        Assert.Equal(["Phase1 (done)"], BuildScript.NotUpToDate([run]));
    }
}
