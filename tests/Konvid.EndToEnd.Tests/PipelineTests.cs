using System.Globalization;
using System.Text.Json;
using Konvid.EndToEnd.Tests.Support;

namespace Konvid.EndToEnd.Tests;

/// <summary>
/// The whole pipeline through ./build.sh on the small generated sample corpus: Phase3 ends with a verdict, the
/// registered model predicts a held-out clip as the held-out file says, a re-run is all "up to date", and a gate
/// the model cannot pass holds without touching the registry.
/// </summary>
public sealed class PipelineTests(PipelineTests.SmallCorpusRun run) : IClassFixture<PipelineTests.SmallCorpusRun>
{
    /// <summary>One Phase3 run shared by the tests, with a gate a real model passes on 60 clips.</summary>
    public sealed class SmallCorpusRun : IAsyncLifetime
    {
        public TempWorkDir Work { get; } = new();
        public string Corpus => Path.Combine(Work.Path, "sample");
        public string StatePage => Path.Combine(Work.Path, "state.md");
        public BuildProcess.Result First { get; private set; } = null!;

        public string[] Args(params string[] targets) =>
        [
            .. targets, "--corpus", "sample", "--work-dir", Work.Path, "--sample-size", "small", "--seeds", "0,1",
            "--holdout", "0.25", "--cv-folds", "3", "--state-page", StatePage,
            "--gate-thresholds", "plcc_min=0.5,srocc_min=0.5,rmse_max=1.2,plcc_spread_max=0.3",
        ];

        public async Task InitializeAsync() => First = await BuildProcess.RunAsync(Args("Phase3"), timeout: TimeSpan.FromMinutes(12));

        public Task DisposeAsync()
        {
            Work.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Phase3_runs_every_stage_and_promotes_a_model_that_learned_the_labels()
    {
        Assert.True(run.First.ExitCode == 0, run.First.Output);
        foreach (var target in new[] { "Download", "Verify", "Probe", "Features", "Jsonl", "Train", "Gate" })
            Assert.Matches($@"(?m)^\s+{target}\s+done", run.First.Output);

        Assert.Equal(60, File.ReadLines(Path.Combine(run.Corpus, "sample.jsonl")).Count());
        using var verdict = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Corpus, "MOS_PROMOTE.json")));
        Assert.Equal("PROMOTE", verdict.RootElement.GetProperty("verdict").GetString());
        Assert.True(File.Exists(Path.Combine(run.Corpus, "registry", "seed0.onnx")));
        Assert.Contains("PROMOTE", File.ReadAllText(run.StatePage));
    }

    [Fact]
    public async Task A_rerun_with_nothing_changed_reports_every_target_up_to_date()
    {
        var again = await BuildProcess.RunAsync(run.Args("Phase3"));
        Assert.True(again.ExitCode == 0, again.Output);
        foreach (var target in new[] { "Download", "Verify", "Probe", "Features", "Jsonl", "Train", "Gate" })
            Assert.Matches($@"(?m)^\s+{target}\s+up to date", again.Output);
    }

    [Fact]
    public async Task Predict_on_a_held_out_clip_agrees_with_the_held_out_predictions_file()
    {
        var heldOut = File.ReadAllLines(Path.Combine(run.Corpus, "models", "heldout_seed0.csv")).Skip(1).First().Split(',');
        var clip = Directory.EnumerateFiles(Path.Combine(run.Corpus, "clips"), heldOut[0], SearchOption.AllDirectories).Single();
        var perSeed = new[] { 0, 1 }.Select(seed => File.ReadLines(Path.Combine(run.Corpus, "models", $"heldout_seed{seed}.csv"))
            .Select(l => l.Split(',')).Single(f => f[0] == heldOut[0])[2]).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).Average();

        var result = await BuildProcess.RunAsync(["Predict", "--corpus", "sample", "--work-dir", run.Work.Path, "--clip", clip, "--json"]);
        Assert.True(result.ExitCode == 0, result.Output);
        // stdout is the JSON document alone (the CNN's device notice, the header and the summary are on stderr).
        using var doc = JsonDocument.Parse(result.Stdout);
        var scored = Assert.Single(doc.RootElement.GetProperty("clips").EnumerateArray());
        Assert.Equal(perSeed, scored.GetProperty("mos").GetDouble(), 1e-4);
        Assert.Equal(2, scored.GetProperty("seeds").GetArrayLength());
        Assert.Contains("Build succeeded", result.Stderr);
        // ONNX Runtime's own log stays quiet unless KONVID_ORT_LOG asks; a CUDA fallback is the project's one line.
        Assert.DoesNotContain("onnxruntime", result.Stderr.Replace("--device auto", ""), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_gate_the_model_cannot_pass_holds_names_the_check_and_leaves_the_registry_alone()
    {
        var registry = Path.Combine(run.Corpus, "registry");
        var before = Directory.GetFiles(registry).ToDictionary(f => f, File.ReadAllBytes);

        var held = await BuildProcess.RunAsync([.. run.Args("Gate").SkipLast(2), "--gate-thresholds", "plcc_min=0.9999", "--skip"]);
        Assert.Equal(1, held.ExitCode);
        Assert.Contains("mean_plcc", held.Output);
        Assert.True(File.Exists(Path.Combine(run.Corpus, "MOS_HOLD.json")));
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));

        var promoted = await BuildProcess.RunAsync([.. run.Args("Gate"), "--skip"]);
        Assert.True(promoted.ExitCode == 0, promoted.Output);
        Assert.False(File.Exists(Path.Combine(run.Corpus, "MOS_HOLD.json")));
    }
}
