using System.Globalization;
using System.Text;
using System.Text.Json;
using Konvid.Core.Corpora;
using Konvid.Core.Gate;
using Konvid.Core.Tests.Support;
using Konvid.Core.Train;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Gate;

public class BaselinesAndHistoryTests
{
    private static readonly GateThresholds Loose = new(PlccMin: 0.5, SroccMin: 0.5, RmseMax: 1.5, PlccSpreadMax: 0.5);

    [Fact]
    public async Task Single_features_are_signed_on_the_training_rows_and_a_linear_model_recovers_a_linear_mos()
    {
        using var dir = new TempDir();
        // mos is exactly linear in x and y; "blur_mean" falls as mos rises, "flat_mean" is noise.
        var rnd = new Random(3);
        var sb = new StringBuilder();
        for (var i = 0; i < 400; i++)
        {
            double x = rnd.NextDouble(), y = rnd.NextDouble(), z = rnd.NextDouble();
            var mos = 1 + 2.5 * x + 1.5 * y;
            sb.Append(CultureInfo.InvariantCulture, $"{{\"features\":{{\"blur_mean\":{-x:R},\"flat_mean\":{z:R},\"si_mean\":{y:R}}},\"mos\":{mos:R},\"src\":\"c{i}.mp4\"}}\n");
        }
        var jsonl = dir["c.jsonl"];
        await File.WriteAllTextAsync(jsonl, sb.ToString());
        var matrix = await CorpusMatrix.LoadAsync(jsonl, ["blur_mean", "flat_mean", "si_mean"], NullProgress.Instance, default);
        var split = Trainer.Split(matrix, 0.2);

        var baselines = Baselines.Measure(matrix, split.Train, split.HeldOut);

        var blur = baselines.Features.Single(f => f.Name == "blur_mean");
        Assert.Equal(-1, blur.Sign);
        var heldOutX = split.HeldOut.Select(r => (double)-matrix.Row(r)[0]).ToArray();
        var heldOutMos = split.HeldOut.Select(r => (double)matrix.Mos[r]).ToArray();
        Assert.Equal(Pearson(heldOutX, heldOutMos), blur.Plcc, 6);
        Assert.Equal("blur_mean", baselines.Features[0].Name); // x carries more of the MOS than y
        Assert.True(baselines.Linear!.Plcc > 0.9999, $"linear PLCC {baselines.Linear.Plcc}");
        Assert.True(baselines.Linear.Rmse < 0.01, $"linear RMSE {baselines.Linear.Rmse}");
    }

    [Fact]
    public async Task Two_gate_runs_leave_both_in_the_history_with_the_change_against_the_last_promote_and_no_machine_path()
    {
        using var dir = new TempDir();
        var (layout, _) = await ModelFixtures.TrainAsync(dir.Path);
        var options = new GateOptions(dir["registry"], dir["state.md"], "sample", "sample-1", RepositoryRoot: dir["repo"]);
        var first = await Gatekeeper.RunAsync(layout, Loose, options, NullProgress.Instance, default);
        await ModelFixtures.TrainAsync(dir.Path, options: ModelFixtures.Options(0, 1, 2));

        var second = await Gatekeeper.RunAsync(layout, Loose, options, NullProgress.Instance, default);

        var page = await File.ReadAllTextAsync(dir["state.md"]);
        Assert.DoesNotContain(dir.Path, page);
        Assert.Contains("registered in <work-dir>/registry", page);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(layout.Root, "metrics-history.jsonl")).Length);
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        Assert.Contains($"| sample sample-1 | 300 | 2 | {F(first.Mean.Plcc)} | {F(first.Mean.Srocc)} | {F(first.Mean.Rmse)} | PROMOTE |", page);
        var change = (second.Mean.Rmse - first.Mean.Rmse).ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);
        Assert.Contains($"| RMSE | {F(first.Mean.Rmse)} | {F(second.Mean.Rmse)} | {change} |", page);

        using var verdict = JsonDocument.Parse(await File.ReadAllTextAsync(layout.Promote));
        var baselines = verdict.RootElement.GetProperty("baselines");
        Assert.Equal(ModelCorpus.FeatureNames.Length, baselines.GetProperty("features").GetArrayLength());
        Assert.Equal("si_mean", baselines.GetProperty("features")[0].GetProperty("name").GetString());
        Assert.True(baselines.GetProperty("linear").GetProperty("plcc").GetDouble() > 0.8);
        Assert.Equal("<work-dir>/registry", verdict.RootElement.GetProperty("registry").GetString());
        Assert.Contains("| +`si_mean` |", page);
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum(), sxx = x.Sum(a => (a - mx) * (a - mx)), syy = y.Sum(b => (b - my) * (b - my));
        return sxy / Math.Sqrt(sxx * syy);
    }
}
