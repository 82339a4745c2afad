using System.Globalization;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Konvid.EndToEnd.Tests.Support;

namespace Konvid.EndToEnd.Tests;

/// <summary>
/// What a user does with the model after Gate, through ./build.sh: pipe Predict and Evaluate into a JSON parser,
/// score a folder in a batch, evaluate on another corpus, read the state page's history. Two Phase3 runs of the
/// small sample (without CNN features, to stay quick) with their default state page, then the tests.
/// </summary>
public sealed class ModelWorkflowTests(ModelWorkflowTests.TwoPhase3Runs run) : IClassFixture<ModelWorkflowTests.TwoPhase3Runs>
{
    public sealed class TwoPhase3Runs : IAsyncLifetime
    {
        public TempWorkDir Work { get; } = new();
        public string Corpus => Path.Combine(Work.Path, "sample");
        public string Registry => Path.Combine(Corpus, "registry");
        public BuildProcess.Result First { get; private set; } = null!;
        public BuildProcess.Result Second { get; private set; } = null!;
        public string GitStatusBefore { get; private set; } = "";

        public string[] Args(string seeds, params string[] targets) =>
        [
            .. targets, "--corpus", "sample", "--work-dir", Work.Path, "--sample-size", "small", "--seeds", seeds,
            "--holdout", "0.25", "--cv-folds", "0", "--deep-features", "false",
            "--gate-thresholds", "plcc_min=0.5,srocc_min=0.5,rmse_max=1.2,plcc_spread_max=0.3",
        ];

        public async Task InitializeAsync()
        {
            GitStatusBefore = await GitStatusAsync();
            First = await BuildProcess.RunAsync(Args("0", "Phase3"), timeout: TimeSpan.FromMinutes(12));
            Second = await BuildProcess.RunAsync(Args("0,1", "Phase3"), timeout: TimeSpan.FromMinutes(12));
        }

        public Task DisposeAsync()
        {
            Work.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task The_sample_demo_writes_its_state_page_into_the_work_dir_and_leaves_the_checkout_as_it_was()
    {
        Assert.True(run.First.ExitCode == 0, run.First.Output);
        Assert.True(run.Second.ExitCode == 0, run.Second.Output);
        Assert.True(File.Exists(Path.Combine(run.Corpus, "state.md")));
        // In a fresh clone that is: `git status --porcelain` stays empty.
        Assert.Equal(run.GitStatusBefore, await GitStatusAsync());
        Assert.DoesNotContain(run.Work.Path, await File.ReadAllTextAsync(Path.Combine(run.Corpus, "state.md")));
    }

    [Fact]
    public async Task The_state_page_after_two_Phase3_runs_shows_both_with_the_change_against_the_last_promote()
    {
        var history = (await File.ReadAllLinesAsync(Path.Combine(run.Corpus, "metrics-history.jsonl")))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal([1, 2], history.Select(h => h.GetProperty("seeds").GetInt32()));
        Assert.All(history, h => Assert.Equal("PROMOTE", h.GetProperty("verdict").GetString()));

        var page = await File.ReadAllTextAsync(Path.Combine(run.Corpus, "state.md"));
        var first = history[0];
        var second = history[1];
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        // The latest verdict on top, the first run in the history table, and the dvc-style diff between them.
        Assert.Contains(F(second.GetProperty("plcc").GetDouble()), page);
        Assert.Contains($"| {first.GetProperty("generated_at_utc").GetString()} | sample sample-1 | {first.GetProperty("rows").GetInt32()} | 1 | {F(first.GetProperty("plcc").GetDouble())} |", page);
        var change = second.GetProperty("plcc").GetDouble() - first.GetProperty("plcc").GetDouble();
        Assert.Contains($"| PLCC | {F(first.GetProperty("plcc").GetDouble())} | {F(second.GetProperty("plcc").GetDouble())} | {change.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture)} |", page);
        Assert.Contains("linear model on", page);
    }

    [Fact]
    public async Task Predict_and_Evaluate_json_on_stdout_parse_as_one_document_each()
    {
        var clip = Directory.EnumerateFiles(Path.Combine(run.Corpus, "clips"), "*.mp4", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();

        var predicted = await BuildProcess.RunAsync(["Predict", "--corpus", "sample", "--work-dir", run.Work.Path, "--clip", clip, "--json"]);
        Assert.True(predicted.ExitCode == 0, predicted.Output);
        using var prediction = JsonDocument.Parse(predicted.Stdout);
        var row = Assert.Single(prediction.RootElement.GetProperty("clips").EnumerateArray());
        Assert.InRange(row.GetProperty("mos").GetDouble(), 1, 5);
        Assert.Contains("Build succeeded", predicted.Stderr);

        var evaluated = await BuildProcess.RunAsync(["Evaluate", "--corpus", "sample", "--work-dir", run.Work.Path, "--holdout", "0.25", "--json"]);
        Assert.True(evaluated.ExitCode == 0, evaluated.Output);
        using var evaluation = JsonDocument.Parse(evaluated.Stdout);
        Assert.Equal("heldout", evaluation.RootElement.GetProperty("rows").GetString());
        using var verdict = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.Corpus, "MOS_PROMOTE.json")));
        Assert.Equal(verdict.RootElement.GetProperty("mean").GetProperty("plcc").GetDouble(),
            evaluation.RootElement.GetProperty("mean_over_seeds").GetProperty("plcc").GetDouble(), 6);
    }

    [Fact]
    public async Task A_batch_over_a_folder_scores_every_clip_records_the_broken_one_and_a_rerun_scores_nothing_new()
    {
        using var folder = new TempWorkDir();
        var clips = Directory.EnumerateFiles(Path.Combine(run.Corpus, "clips"), "*.mp4", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(3).ToList();
        Directory.CreateDirectory(Path.Combine(folder.Path, "in", "sub"));
        File.Copy(clips[0], Path.Combine(folder.Path, "in", "a.mp4"));
        File.Copy(clips[1], Path.Combine(folder.Path, "in", "b.mp4"));
        File.Copy(clips[2], Path.Combine(folder.Path, "in", "sub", "c.mp4"));
        await File.WriteAllBytesAsync(Path.Combine(folder.Path, "in", "broken.mp4"), [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 31))]);
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "in", "notes.txt"), "not a clip");
        var outFile = Path.Combine(folder.Path, "scores.jsonl");
        string[] args = ["Predict", "--corpus", "sample", "--work-dir", run.Work.Path, "--clip", Path.Combine(folder.Path, "in"), "--out", outFile, "--jobs", "2"];

        var first = await BuildProcess.RunAsync(args);

        Assert.Equal(1, first.ExitCode); // documented: 1 when any clip failed, after every row is written
        Assert.Equal(3, first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Single(first.Stderr.Split('\n'), l => l.Contains("broken.mp4") && l.Contains("warning"));
        var rows = File.ReadAllLines(outFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["a.mp4", "b.mp4", "broken.mp4", "c.mp4"], rows.Select(r => Path.GetFileName(r.GetProperty("path").GetString()!)).Order(StringComparer.Ordinal));
        var broken = rows.Single(r => r.GetProperty("path").GetString()!.EndsWith("broken.mp4", StringComparison.Ordinal));
        Assert.Contains("cannot be decoded", broken.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, broken.GetProperty("mos").ValueKind);
        foreach (var good in rows.Where(r => r.GetProperty("error").ValueKind == JsonValueKind.Null))
        {
            Assert.Equal((good.GetProperty("mos_seed0").GetDouble() + good.GetProperty("mos_seed1").GetDouble()) / 2, good.GetProperty("mos").GetDouble(), 6);
            var sha = (await Cli.Wrap("sha256sum").WithArguments([good.GetProperty("path").GetString()!]).ExecuteBufferedAsync()).StandardOutput.Split(' ')[0];
            Assert.Equal(sha, good.GetProperty("sha256").GetString());
        }

        var again = await BuildProcess.RunAsync(args);

        Assert.Equal(1, again.ExitCode); // the broken clip is tried again and fails again
        Assert.Empty(again.Stdout.Trim());
        Assert.Contains("3 already in", again.Stderr);
        Assert.Equal(4, File.ReadAllLines(outFile).Length);
    }

    [Fact]
    public async Task A_model_promoted_on_one_corpus_evaluates_on_all_rows_of_another_and_its_metrics_follow_from_its_predictions()
    {
        using var other = new TempWorkDir();
        var built = await BuildProcess.RunAsync(["Jsonl", "--corpus", "sample", "--work-dir", other.Path, "--sample-size", "tiny", "--deep-features", "false"],
            timeout: TimeSpan.FromMinutes(8));
        Assert.True(built.ExitCode == 0, built.Output);

        var evaluated = await BuildProcess.RunAsync(["Evaluate", "--model", run.Registry, "--corpus", "sample", "--work-dir", other.Path, "--rows", "all", "--json"]);

        Assert.True(evaluated.ExitCode == 0, evaluated.Output);
        using var doc = JsonDocument.Parse(evaluated.Stdout);
        var output = doc.RootElement.GetProperty("output").GetString()!;
        Assert.StartsWith(Path.Combine(other.Path, "sample", "evaluations"), output);
        Assert.True(File.Exists(Path.Combine(output, "scatter.png")));
        var lines = File.ReadAllLines(Path.Combine(output, "predictions.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(File.ReadLines(Path.Combine(other.Path, "sample", "sample.jsonl")).Count(), lines.Count);
        var mos = lines.Select(f => double.Parse(f[1], CultureInfo.InvariantCulture)).ToArray();
        var predicted = lines.Select(f => double.Parse(f[2], CultureInfo.InvariantCulture)).ToArray();
        var ensemble = doc.RootElement.GetProperty("ensemble");
        Assert.Equal(Pearson(predicted, mos), ensemble.GetProperty("plcc").GetDouble(), 9);
        Assert.Equal(Math.Sqrt(predicted.Zip(mos, (p, m) => (p - m) * (p - m)).Average()), ensemble.GetProperty("rmse").GetDouble(), 9);
        Assert.Equal(lines.Count, ensemble.GetProperty("n").GetInt32());
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum(), sxx = x.Sum(a => (a - mx) * (a - mx)), syy = y.Sum(b => (b - my) * (b - my));
        return sxy / Math.Sqrt(sxx * syy);
    }

    private static async Task<string> GitStatusAsync() =>
        (await Cli.Wrap("git").WithArguments(["status", "--porcelain"]).WithWorkingDirectory(BuildProcess.RepoRoot)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync()).StandardOutput;
}
