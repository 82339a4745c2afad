namespace Konvid.Targets.Tests;

public class BuildEngineTests : IDisposable
{
    private readonly EngineHarness _h = new();

    public BuildEngineTests() => File.WriteAllText(Path.Combine(_h.Root, "input.txt"), "v1");

    public void Dispose() => _h.Dispose();

    /// <summary>A small pipeline: A -> B -> C, with D depending on A only, and All gathering C and D.</summary>
    private sealed class Pipeline : TestBuildBase
    {
        [Parameter("Affects B")] public int Level = 1;
        [Parameter("Makes B fail")] public bool BreakB { get; set; }
        [Parameter("A list")] public int[] Seeds = [0, 1];
        [Parameter("A text")] public string Mode = "default";
        public TaskCompletionSource BStarted { get; } = new();
        public bool HangB { get; init; }

        string InputFile => Path.Combine(Root, "input.txt");

        Target A => _ => _.Description("first").Tracks(() => [InputFile]).Executes(() => Ran.Add("A"));

        Target B => _ => _.Description("second").DependsOn(A).Keyed(() => [Level]).Tracks(() => [Path.Combine(Root, "b.txt")])
            .Executes(async ct =>
            {
                Ran.Add("B");
                BStarted.TrySetResult();
                if (HangB) await Task.Delay(Timeout.Infinite, ct);
                if (BreakB) throw new InvalidDataException("b.txt: input is broken\n  -> fix the input");
                await File.WriteAllTextAsync(Path.Combine(Root, "b.txt"), $"level {Level}", ct);
            });

        Target C => _ => _.Description("third").DependsOn(B).Keyed(() => ["c"]).Executes(() => Ran.Add("C"));

        Target D => _ => _.Description("beside").DependsOn(A).Keyed(() => ["d"]).Executes(() => Ran.Add("D"));

        Target All => _ => _.DependsOn(C, D);
    }

    private sealed class Cyclic : TestBuildBase
    {
        Target X => _ => _.DependsOn(Z).Executes(() => Ran.Add("X"));
        Target Y => _ => _.DependsOn(X).Executes(() => Ran.Add("Y"));
        Target Z => _ => _.DependsOn(Y).Executes(() => Ran.Add("Z"));
    }

    /// <summary>A target whose result is its stdout, as Predict --json.</summary>
    private sealed class Printing : TestBuildBase
    {
        public TextWriter Stdout { get; init; } = TextWriter.Null;
        Target Setup => _ => _.Description("first").Executes(() => Ran.Add("Setup"));
        Target Print => _ => _.DependsOn(Setup).WritesResultToStdout().Executes(() => Stdout.WriteLine("{\"mos\":3.5}"));
    }

    private sealed class BadKey : TestBuildBase
    {
        Target First => _ => _.Keyed(() => throw new InvalidDataException("catalog x.yaml: missing")).Executes(() => Ran.Add("First"));
        Target Second => _ => _.DependsOn(First).Executes(() => Ran.Add("Second"));
    }

    [Fact]
    public async Task A_target_whose_inputs_cannot_be_read_fails_with_its_message_instead_of_crashing_the_run()
    {
        var build = new BadKey();
        Assert.Equal(1, await _h.RunAsync(build, "Second"));
        Assert.Empty(build.Ran);
        Assert.Contains("First: catalog x.yaml: missing", _h.Output);
        Assert.Matches(@"Second\s+skipped", _h.Output);

        Assert.Equal(1, await _h.RunAsync(new BadKey(), "Second", "--plan"));
        Assert.Contains("catalog x.yaml: missing", _h.Output);
    }

    [Fact]
    public async Task Runs_every_target_after_its_dependencies()
    {
        var build = new Pipeline();
        Assert.Equal(0, await _h.RunAsync(build, "All"));
        Assert.Equal(["A", "B", "C", "D"], build.Ran);
    }

    [Fact]
    public async Task A_dependency_cycle_is_a_usage_error_naming_the_cycle()
    {
        var build = new Cyclic();
        Assert.Equal(2, await _h.RunAsync(build, "X"));
        Assert.Contains("dependency cycle: X -> Z -> Y -> X", _h.Output);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public async Task A_second_run_with_nothing_changed_is_up_to_date()
    {
        await _h.RunAsync(new Pipeline(), "All");
        var again = new Pipeline();
        Assert.Equal(0, await _h.RunAsync(again, "All"));
        Assert.Empty(again.Ran);
        Assert.Equal(4, _h.Output.Split('\n').Count(l => l.Contains("up to date")));
    }

    [Fact]
    public async Task A_changed_input_reruns_the_target_and_its_dependents_only_where_their_inputs_changed()
    {
        await _h.RunAsync(new Pipeline(), "All");
        File.Delete(Path.Combine(_h.Root, "b.txt"));
        var again = new Pipeline();
        await _h.RunAsync(again, "All");
        Assert.Equal(["B", "C"], again.Ran);
    }

    [Fact]
    public async Task A_changed_parameter_reruns_that_target_and_its_dependents_only()
    {
        await _h.RunAsync(new Pipeline(), "All");
        var again = new Pipeline();
        await _h.RunAsync(again, "All", "--level", "2");
        Assert.Equal(["B", "C"], again.Ran);
    }

    [Fact]
    public async Task A_failing_target_stops_its_dependents_and_the_summary_still_prints()
    {
        var build = new Pipeline();
        Assert.Equal(1, await _h.RunAsync(build, "All", "--break-b"));
        Assert.Equal(["A", "B", "D"], build.Ran);
        Assert.Contains("B: b.txt: input is broken", _h.Output);
        Assert.DoesNotContain("   at ", _h.Output);
        Assert.Matches(@"C\s+skipped\s+0\.0s\s+B did not succeed", _h.Output);
        Assert.Contains("Build failed", _h.Output);
        Assert.False(File.Exists(Path.Combine(_h.Root, ".targets", "B.json")));
    }

    [Fact]
    public async Task Plan_prints_the_order_and_runs_nothing()
    {
        var build = new Pipeline();
        Assert.Equal(0, await _h.RunAsync(build, "C", "--plan"));
        Assert.Empty(build.Ran);
        Assert.Matches(@"1\. A\s+will run: never ran\s+2\. B\s+will run: never ran; dependency A re-runs\s+3\. C\s+will run", _h.Output.Replace("\n", " "));

        await _h.RunAsync(new Pipeline(), "C");
        await _h.RunAsync(new Pipeline(), "C", "--plan", "--level", "3");
        Assert.Matches(@"1\. A\s+up to date\s+2\. B\s+will run: parameter --level changed \(1 -> 3\)\s+3\. C\s+will run: dependency B re-runs", _h.Output.Replace("\n", " "));
    }

    [Fact]
    public async Task Parameters_come_from_cli_then_environment_then_parameters_json_then_default()
    {
        var build = new Pipeline();
        await _h.RunAsync(build, "--help");
        Assert.Equal(1, build.Level);

        _h.WriteParametersJson("""{ "$schema": "x", "Level": 3, "seeds": [4, 5], "mode": "file" }""");
        build = new Pipeline();
        await _h.RunAsync(build, "--help");
        Assert.Equal((3, "4,5", "file"), (build.Level, string.Join(",", build.Seeds), build.Mode));

        _h.Environment["KONVID_LEVEL"] = "4";
        _h.Environment["KONVID_MODE"] = "env";
        build = new Pipeline();
        await _h.RunAsync(build, "--help");
        Assert.Equal((4, "env"), (build.Level, build.Mode));

        build = new Pipeline();
        await _h.RunAsync(build, "--help", "--level", "5", "--seeds", "7,8", "9");
        Assert.Equal((5, "7,8,9", "env"), (build.Level, string.Join(",", build.Seeds), build.Mode));
    }

    [Theory]
    [InlineData(new[] { "Nope" }, "unknown target 'Nope'")]
    [InlineData(new[] { "A", "--bogus", "1" }, "unknown parameter --bogus")]
    [InlineData(new[] { "A", "--level", "high" }, "--level: 'high' is not a valid integer")]
    public async Task Bad_command_lines_are_one_line_errors_with_exit_code_2(string[] args, string message)
    {
        var build = new Pipeline();
        Assert.Equal(2, await _h.RunAsync(build, args));
        Assert.Contains(message, _h.Output);
        Assert.Single(_h.Output.Trim().Split('\n'));
        Assert.Empty(build.Ran);
    }

    [Fact]
    public async Task Skip_and_force_change_what_runs()
    {
        var build = new Pipeline();
        await _h.RunAsync(build, "C", "--skip", "A");
        Assert.Equal(["B", "C"], build.Ran);

        build = new Pipeline();
        await _h.RunAsync(build, "C", "--force");
        Assert.Equal(["A", "C"], build.Ran);

        build = new Pipeline();
        await _h.RunAsync(build, "D", "--skip");
        Assert.Equal(["D"], build.Ran);
    }

    [Fact]
    public async Task Cancellation_reaches_the_running_target_and_records_no_fingerprint()
    {
        using var cts = new CancellationTokenSource();
        var build = new Pipeline { HangB = true };
        var run = _h.RunAsync(build, cts.Token, "C");
        await build.BStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cts.Cancel();
        Assert.Equal(130, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["A", "B"], build.Ran);
        Assert.True(File.Exists(Path.Combine(_h.Root, ".targets", "A.json")));
        Assert.False(File.Exists(Path.Combine(_h.Root, ".targets", "B.json")));
        Assert.Contains("cancelled", _h.Output);
    }

    [Fact]
    public async Task Help_lists_targets_with_descriptions_and_parameters_with_their_environment_names()
    {
        Assert.Equal(0, await _h.RunAsync(new Pipeline(), "--help"));
        Assert.Matches(@"B\s+A\s+second", _h.Output);
        Assert.Contains("--level", _h.Output);
        Assert.Contains("KONVID_BREAK_B", _h.Output);
    }

    [Fact]
    public async Task A_target_whose_result_is_stdout_sends_the_engines_header_and_summary_to_stderr()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await _h.RunAsync(new Printing { Stdout = stdout }, "Print"));

        Assert.Equal("", _h.Output);
        Assert.Equal("{\"mos\":3.5}\n", stdout.ToString().ReplaceLineEndings("\n"));
        Assert.Contains("── Print ──", _h.Errors);
        Assert.Contains("Build succeeded", _h.Errors);

        Assert.Equal(0, await _h.RunAsync(new Printing(), "Setup"));
        Assert.Contains("Build succeeded", _h.Output);
        Assert.Equal("", _h.Errors);
    }
}
