using System.Globalization;
using System.Text.Json;
using Konvid.Core.Corpora;
using Konvid.Core.Evaluate;
using Konvid.Core.Gate;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Evaluate;

public class CrossCorpusTests
{
    private static readonly GateThresholds Loose = new(PlccMin: 0.5, SroccMin: 0.5, RmseMax: 1.5, PlccSpreadMax: 0.5);

    [Fact]
    public async Task A_model_promoted_on_one_corpus_scores_every_row_of_another_and_its_metrics_follow_from_the_written_predictions()
    {
        using var dir = new TempDir();
        var (trained, _) = await ModelFixtures.TrainAsync(dir["a"]);
        var registry = dir["registry"];
        await Gatekeeper.RunAsync(trained, Loose, new GateOptions(registry, null, "sample", "1"), NullProgress.Instance, default);
        var other = new CorpusLayout(dir["b"], "sample");
        await ModelCorpus.WriteAsync(other.CorpusJsonl, 80, firstClip: 5000, seed: 11);

        var report = await Evaluator.RunAsync(other, registry, new EvaluateOptions(Rows: EvaluateRows.All), NullProgress.Instance, default);

        Assert.Equal(80, report.N);
        Assert.StartsWith(Path.Combine(other.Root, "evaluations"), report.OutputDir);
        var lines = File.ReadAllLines(Path.Combine(report.OutputDir, "predictions.csv"));
        Assert.Equal("id,mos,predicted,predicted_seed0,predicted_seed1", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(80, rows.Count);
        var mos = rows.Select(r => r[0]).ToArray();
        Assert.Equal(Pearson(rows.Select(r => r[1]).ToArray(), mos), report.Ensemble.Plcc, 10);
        Assert.Equal(Pearson(rows.Select(r => r[2]).ToArray(), mos), report.Seeds[0].Metrics.Plcc, 10);
        Assert.Equal(Math.Sqrt(rows.Average(r => (r[1] - r[0]) * (r[1] - r[0]))), report.Ensemble.Rmse, 10);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report.OutputDir, "metrics.json")));
        Assert.Equal(report.Ensemble.Srocc, metrics.RootElement.GetProperty("ensemble").GetProperty("srocc").GetDouble(), 12);
        Assert.Equal("all", metrics.RootElement.GetProperty("rows").GetString());
        Assert.True(File.Exists(Path.Combine(report.OutputDir, "scatter.png")));
        // The head learned the function both corpora share, so it carries over.
        Assert.True(report.Ensemble.Plcc > 0.8, $"PLCC {report.Ensemble.Plcc}");
    }

    [Fact]
    public async Task A_corpus_without_a_feature_the_model_reads_is_one_line_naming_it()
    {
        using var dir = new TempDir();
        var (trained, _) = await ModelFixtures.TrainAsync(dir["a"], options: ModelFixtures.Options(0));
        var other = new CorpusLayout(dir["b"], "sample");
        await ModelCorpus.WriteAsync(other.CorpusJsonl, 20, firstClip: 5000);
        await File.WriteAllTextAsync(other.CorpusJsonl, (await File.ReadAllTextAsync(other.CorpusJsonl)).Replace("\"noise_mean\"", "\"noise_other\""));

        var e = await Assert.ThrowsAsync<KonvidException>(() =>
            Evaluator.RunAsync(other, trained.Models, new EvaluateOptions(Rows: EvaluateRows.All), NullProgress.Instance, default));
        Assert.Contains("feature 'noise_mean' is missing", e.Problem);
        Assert.DoesNotContain('\n', e.Problem);
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum(), sxx = x.Sum(a => (a - mx) * (a - mx)), syy = y.Sum(b => (b - my) * (b - my));
        return sxy / Math.Sqrt(sxx * syy);
    }
}
