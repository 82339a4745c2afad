using Konvid.EndToEnd.Tests.Support;

namespace Konvid.EndToEnd.Tests;

/// <summary>The command line as a user meets it: ./build.sh from the repository root.</summary>
public class CommandLineTests
{
    [Fact]
    public async Task Help_lists_every_target_and_parameter()
    {
        var result = await BuildProcess.RunAsync(["--help"]);
        Assert.Equal(0, result.ExitCode);
        foreach (var target in new[] { "Download", "Verify", "Probe", "Features", "Jsonl", "Train", "Gate", "Predict", "Bench", "Phase1", "Phase2", "Phase3", "Test" })
            Assert.Matches($@"(?m)^\s+{target}\s", result.Output);
        foreach (var parameter in new[] { "--corpus", "--work-dir", "--mirror", "--jobs", "--shard", "--seeds", "--holdout", "--device", "--deep-features", "--clip", "--model" })
            Assert.Contains(parameter, result.Output);
    }

    [Fact]
    public async Task Phase1_plan_is_download_verify_probe_features_jsonl_in_order()
    {
        using var work = new TempWorkDir();
        var result = await BuildProcess.RunAsync(["Phase1", "--plan", "--work-dir", work.Path]);
        Assert.Equal(0, result.ExitCode);
        var order = result.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 2 && char.IsDigit(l[0]))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Equal(["Download", "Verify", "Probe", "Features", "Jsonl", "Phase1"], order);
        Assert.False(Directory.Exists(Path.Combine(work.Path, "konvid-1k", "clips")), "--plan must run nothing");
    }

    [Theory]
    [InlineData("Nope", "unknown target 'Nope'")]
    [InlineData("--shard", "--shard")]
    public async Task Bad_command_lines_exit_2_with_one_line(string arg, string message)
    {
        var result = await BuildProcess.RunAsync(arg == "--shard" ? ["Probe", "--shard", "3/2"] : [arg]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Output);
        Assert.Single(result.Output.Trim().Split('\n'));
    }
}
