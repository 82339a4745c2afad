using System.Globalization;
using System.Text;
using Konvid.Core.Tests.Support;
using Konvid.Core.Train;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Train;

public class KernelTests
{
    private static readonly KernelSettings Small = new([0.5, 1, 2], [0.01, 0.1, 1], [64, 256]);

    private static TrainOptions KernelOptions(params int[] seeds) =>
        ModelFixtures.Options(seeds) with { Learner = MosLearner.Kernel, Kernel = Small };

    private static KernelSettings Limited(double clip) => Small with { Clips = [clip] };

    private static async Task<CorpusMatrix> MatrixAsync(TempDir dir, string jsonl)
    {
        var path = dir["corpus.jsonl"];
        await File.WriteAllTextAsync(path, jsonl);
        return await CorpusMatrix.LoadAsync(path, null, NullProgress.Instance, default);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0.5)]
    public async Task Onnx_predictions_equal_in_memory_predictions_on_every_heldout_row(double clip)
    {
        using var dir = new TempDir();
        var matrix = await MatrixAsync(dir, ModelCorpus.Build(300));
        var split = Trainer.Split(matrix, 0.1);
        var (head, learner, _, _, _) = Trainer.FitSeed(matrix, split.Train, 2, KernelOptions(2) with { Kernel = Limited(clip) }, default);
        Assert.Equal(MosLearner.Kernel, learner);
        Assert.Equal(clip, ((KernelRidgeHead)head).Head.Choice.Clip);

        var inMemory = head.Predict(matrix, split.HeldOut);
        using var onnx = new MosOnnxModel(head.ExportOnnx(matrix, 2));
        var exported = onnx.Predict(Trainer.Gather(matrix, split.HeldOut), split.HeldOut.Length);

        Assert.True(split.HeldOut.Length >= 20, $"only {split.HeldOut.Length} held-out rows");
        Assert.Contains(inMemory, p => p is > 1.5f and < 4.5f);
        for (var i = 0; i < exported.Length; i++)
            Assert.True(Math.Abs(exported[i] - Math.Clamp(inMemory[i], 1f, 5f)) <= 1e-4,
                $"row {matrix.Ids[split.HeldOut[i]]}: ONNX {exported[i]} vs in-memory {inMemory[i]}");
    }

    [Theory]
    [InlineData(40, 5f)]
    [InlineData(-40, 1f)]
    [InlineData(2.5, 2.5f)]
    public async Task Onnx_clamps_the_score_to_the_mos_range(double bias, float expected)
    {
        using var dir = new TempDir();
        var matrix = await MatrixAsync(dir, ModelCorpus.Build(200));
        var head = KernelTrainer.Fit(matrix, Enumerable.Range(0, matrix.Rows).ToArray(), 0, Small, default);
        using var onnx = new MosOnnxModel(KernelOnnx.Export(head with { Weights = new double[head.Components], Bias = bias }));

        Assert.Equal(expected, onnx.Predict(Trainer.Gather(matrix, [0]), 1)[0]);
    }

    [Fact]
    public async Task Same_seed_twice_gives_identical_onnx_bytes_and_another_seed_different_ones()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var (layoutA, reportA) = await ModelFixtures.TrainAsync(a.Path, options: KernelOptions(3, 4));
        var (layoutB, _) = await ModelFixtures.TrainAsync(b.Path, options: KernelOptions(3, 4) with { Threads = 2 });

        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(layoutA.Models, "seed3.onnx")),
                     await File.ReadAllBytesAsync(Path.Combine(layoutB.Models, "seed3.onnx")));
        Assert.NotEqual(reportA.Seeds[0].OnnxSha256, reportA.Seeds[1].OnnxSha256);
        Assert.All(reportA.Seeds, s => Assert.Equal("Kernel", s.Trainer));
        Assert.All(reportA.Seeds, s => Assert.True(s.Metrics.Plcc > 0.8, $"seed {s.Seed} PLCC {s.Metrics.Plcc}"));
    }

    [Fact]
    public async Task Standardisation_uses_the_training_rows_statistics()
    {
        using var dir = new TempDir();
        var matrix = await MatrixAsync(dir, ModelCorpus.Build(100));
        var rows = Enumerable.Range(10, 50).ToArray();
        var (mean, scale) = KernelTrainer.Statistics(matrix, rows);

        for (var f = 0; f < matrix.Columns; f++)
        {
            var values = rows.Select(r => (double)matrix.Row(r)[f]).ToArray();
            var m = values.Sum() / values.Length;
            var s = Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / (values.Length - 1));
            Assert.Equal(m, mean[f], 1e-9);
            Assert.Equal(s, scale[f], 1e-9);
        }
    }

    [Fact]
    public async Task Rescaling_a_feature_leaves_the_predictions_unchanged()
    {
        using var dir = new TempDir();
        var plain = await MatrixAsync(dir, ModelCorpus.Build(200));
        var scaledJsonl = new StringBuilder();
        foreach (var line in ModelCorpus.Build(200).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = line.IndexOf("\"si_mean\":", StringComparison.Ordinal) + "\"si_mean\":".Length;
            var end = line.IndexOf(',', at);
            var value = double.Parse(line[at..end], CultureInfo.InvariantCulture) * 1024 + 4096;
            scaledJsonl.Append(line[..at]).Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(line[end..]).Append('\n');
        }
        using var other = new TempDir();
        var scaled = await MatrixAsync(other, scaledJsonl.ToString());
        var train = Enumerable.Range(0, 150).ToArray();
        var test = Enumerable.Range(150, 50).ToArray();

        var a = KernelTrainer.Fit(plain, train, 1, Small, default).Predict(plain, test);
        var b = KernelTrainer.Fit(scaled, train, 1, Small, default).Predict(scaled, test);

        for (var i = 0; i < test.Length; i++) Assert.Equal(a[i], b[i], 1e-3);
    }

    [Fact]
    public async Task Learns_a_smooth_nonlinear_function_better_than_its_mean()
    {
        using var dir = new TempDir();
        var rnd = new Random(11);
        var sb = new StringBuilder();
        var truth = new List<double>();
        for (var i = 0; i < 400; i++)
        {
            double x = rnd.NextDouble() * 6 - 3, y = rnd.NextDouble() * 6 - 3, distractor = rnd.NextDouble();
            var mos = 3 + Math.Sin(x) + 0.1 * y * y - 0.45;
            truth.Add(mos);
            sb.Append(CultureInfo.InvariantCulture, $"{{\"src\":\"c{i}\",\"mos\":{mos:R},\"features\":{{\"x\":{x:R},\"y\":{y:R},\"z\":{distractor:R}}}}}\n");
        }
        var matrix = await MatrixAsync(dir, sb.ToString());
        var head = KernelTrainer.Fit(matrix, Enumerable.Range(0, 300).ToArray(), 0, Small, default);
        var predicted = head.Predict(matrix, Enumerable.Range(300, 100).ToArray());

        var rmse = Math.Sqrt(predicted.Select((p, i) => (p - truth[300 + i]) * (p - truth[300 + i])).Average());
        var mean = truth.Take(300).Average();
        var baseline = Math.Sqrt(truth.Skip(300).Select(t => (t - mean) * (t - mean)).Average());
        Assert.True(rmse < 0.15 * baseline, $"kernel RMSE {rmse} against the mean's {baseline}");
    }

    [Fact]
    public async Task Inner_validation_limits_a_heavy_tailed_feature_and_that_predicts_better()
    {
        using var dir = new TempDir();
        var rnd = new Random(5);
        var sb = new StringBuilder();
        var truth = new List<double>();
        for (var i = 0; i < 400; i++)
        {
            double x = rnd.NextDouble() * 4 - 2, y = rnd.NextDouble() * 4 - 2;
            // Cauchy: most rows near 0, a few hundreds of standard deviations out, and no bearing on the MOS.
            var tail = Math.Tan(Math.PI * (rnd.NextDouble() - 0.5));
            var mos = 3 + 0.8 * Math.Sin(x) + 0.3 * y;
            truth.Add(mos);
            sb.Append(CultureInfo.InvariantCulture, $"{{\"src\":\"c{i}\",\"mos\":{mos:R},\"features\":{{\"x\":{x:R},\"y\":{y:R},\"tail\":{tail:R}}}}}\n");
        }
        var matrix = await MatrixAsync(dir, sb.ToString());
        var train = Enumerable.Range(0, 300).ToArray();
        var test = Enumerable.Range(300, 100).ToArray();
        double Rmse(KernelHead head) => Math.Sqrt(head.Predict(matrix, test).Select((p, i) => (p - truth[300 + i]) * (p - truth[300 + i])).Average());

        var chosen = KernelTrainer.Fit(matrix, train, 0, Small with { Clips = [double.PositiveInfinity, 2] }, default);
        var unlimited = KernelTrainer.Fit(matrix, train, 0, Small, default);

        Assert.Equal(2, chosen.Choice.Clip);
        Assert.True(Rmse(chosen) < 0.8 * Rmse(unlimited), $"limited RMSE {Rmse(chosen)} against unlimited {Rmse(unlimited)}");
    }

    [Fact]
    public async Task Hyper_parameters_never_see_rows_outside_the_training_rows()
    {
        using var dir = new TempDir();
        var matrix = await MatrixAsync(dir, ModelCorpus.Build(200));
        var train = Enumerable.Range(0, 150).ToArray();
        var before = KernelOnnx.Export(KernelTrainer.Fit(matrix, train, 5, Small, default));
        for (var r = 150; r < 200; r++)
        {
            matrix.Mos[r] = 6 - matrix.Mos[r];
            matrix.Values[r * matrix.Columns] *= 3;
        }
        var after = KernelOnnx.Export(KernelTrainer.Fit(matrix, train, 5, Small, default));

        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Fits_a_seeded_subsample_above_the_row_limit()
    {
        using var dir = new TempDir();
        var matrix = await MatrixAsync(dir, ModelCorpus.Build(300));
        var rows = Enumerable.Range(0, 300).ToArray();

        var head = KernelTrainer.Fit(matrix, rows, 0, Small with { MaxRows = 120 }, default);
        var again = KernelTrainer.Fit(matrix, rows, 0, Small with { MaxRows = 120 }, default);
        var other = KernelTrainer.Fit(matrix, rows, 1, Small with { MaxRows = 120 }, default);

        Assert.Equal(120, head.FitRows);
        Assert.Equal(KernelOnnx.Export(head), KernelOnnx.Export(again));
        Assert.NotEqual(KernelOnnx.Export(head), KernelOnnx.Export(other));
    }

    [Fact]
    public async Task Auto_scores_every_family_on_the_carve_out_and_records_them_and_the_blend_on_the_card()
    {
        using var dir = new TempDir();
        var (layout, report) = await ModelFixtures.TrainAsync(dir.Path, options: ModelFixtures.Options(0, 1) with { Kernel = Small });

        foreach (var seed in new[] { 0, 1 })
        {
            var card = await ModelCard.ReadAsync(Path.Combine(layout.Models, $"seed{seed}.card.json"), default);
            var rmse = card.Recipe.ValidationRmse;
            Assert.Equal(["Blend", "FastTree", "Kernel", "LightGbm"], rmse.Keys.Order());
            var trees = rmse["FastTree"] < rmse["LightGbm"] ? "FastTree" : "LightGbm";
            Assert.StartsWith($"{trees} (the tree learner with the lower RMSE", card.Recipe.Selection);
            Assert.True(rmse["Blend"] <= Math.Min(rmse[trees], rmse["Kernel"]) + 1e-12, string.Join(", ", rmse));
            Assert.Equal(report.Seeds[seed].Trainer, card.Recipe.Trainer);
            if (card.Recipe.Trainer == "Blend")
            {
                var weight = card.Recipe.HyperParameters["blend_kernel_weight"];
                Assert.InRange(weight, 0, 1);
                Assert.Equal(1, weight + card.Recipe.HyperParameters["blend_tree_weight"], 1e-6);
                Assert.Contains("kernel_bandwidth", card.Recipe.HyperParameters.Keys);
                Assert.Contains("trees_leaves", card.Recipe.HyperParameters.Keys);
            }
            else Assert.Contains(card.Recipe.Trainer, new[] { trees, "Kernel" });
        }
        Assert.Contains(report.Seeds, s => s.Trainer == "Blend");
    }

    [Fact]
    public async Task Blend_onnx_equals_the_weighted_sum_of_its_two_heads()
    {
        using var dir = new TempDir();
        var matrix = await MatrixAsync(dir, ModelCorpus.Build(300));
        var split = Trainer.Split(matrix, 0.1);
        var options = KernelOptions(4);
        var trees = (TreesHead)MosTrainer.FitHead(matrix, split.Train, MosLearner.LightGbm, options, 4, default);
        var kernel = (KernelRidgeHead)MosTrainer.FitHead(matrix, split.Train, MosLearner.Kernel, options, 4, default);
        var blend = new BlendHead(trees, kernel, 0.25f, 0.75f);
        var values = Trainer.Gather(matrix, split.HeldOut);

        using var blended = new MosOnnxModel(blend.ExportOnnx(matrix, 4));
        using var treesAlone = new MosOnnxModel(trees.ExportOnnx(matrix, 4));
        using var kernelAlone = new MosOnnxModel(kernel.ExportOnnx(matrix, 4));
        var exported = blended.Predict(values, split.HeldOut.Length);
        var t = treesAlone.Predict(values, split.HeldOut.Length);
        var k = kernelAlone.Predict(values, split.HeldOut.Length);
        var inMemory = blend.Predict(matrix, split.HeldOut);

        for (var i = 0; i < exported.Length; i++)
        {
            Assert.True(Math.Abs(exported[i] - Math.Clamp(inMemory[i], 1f, 5f)) <= 1e-4, $"row {i}: ONNX {exported[i]} vs in-memory {inMemory[i]}");
            // Inside [1, 5] the parts are unclamped, so the blend of the two exported heads is the oracle.
            if (t[i] is > 1 and < 5 && k[i] is > 1 and < 5)
                Assert.Equal(0.25 * t[i] + 0.75 * k[i], exported[i], 1e-4);
        }
    }

    [Fact]
    public async Task Auto_leaves_the_kernel_out_above_its_row_limit_and_says_so()
    {
        using var dir = new TempDir();
        var (layout, _) = await ModelFixtures.TrainAsync(dir.Path, options: ModelFixtures.Options(0) with { Kernel = Small with { AutoMaxRows = 100 } });
        var card = await ModelCard.ReadAsync(Path.Combine(layout.Models, "seed0.card.json"), default);

        Assert.Equal(["FastTree", "LightGbm"], card.Recipe.ValidationRmse.Keys.Order());
        Assert.Contains("not a candidate above 100 training rows", card.Recipe.Selection);
    }

    [Fact]
    public async Task Trees_family_chooses_between_the_two_tree_learners_only()
    {
        using var dir = new TempDir();
        var (layout, _) = await ModelFixtures.TrainAsync(dir.Path, options: ModelFixtures.Options(0) with { Learner = MosLearner.Trees });
        var card = await ModelCard.ReadAsync(Path.Combine(layout.Models, "seed0.card.json"), default);

        Assert.Equal(["FastTree", "LightGbm"], card.Recipe.ValidationRmse.Keys.Order());
        Assert.Contains(card.Recipe.Trainer, new[] { "FastTree", "LightGbm" });
    }
}
