using Konvid.Core.Tests.Support;
using Konvid.Core.Train;
using Konvid.Core.Workspace;
using Konvid.Testing;
using Microsoft.ML.OnnxRuntime;

namespace Konvid.Core.Tests.Train;

public class TrainerTests
{
    private static TrainOptions Options(params int[] seeds) => ModelFixtures.Options(seeds);

    [Fact]
    public async Task Trains_every_seed_and_writes_model_card_predictions_and_plot()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "sample");
        await ModelCorpus.WriteAsync(layout.CorpusJsonl, 300);

        var report = await Trainer.RunAsync(layout, Options(0, 1) with { CvFolds = 3 }, NullProgress.Instance, default);

        Assert.Equal(300, report.Rows);
        Assert.Equal(2, report.Seeds.Count);
        Assert.All(report.Seeds, s => Assert.True(s.Metrics.Plcc > 0.8, $"seed {s.Seed} PLCC {s.Metrics.Plcc}"));
        Assert.NotNull(report.CrossValidation);
        Assert.Equal(3, report.CrossValidation!.FoldPlcc.Count);
        foreach (var seed in new[] { 0, 1 })
        {
            var card = await ModelCard.ReadAsync(Path.Combine(layout.Models, $"seed{seed}.card.json"), default);
            Assert.Equal(ModelCorpus.FeatureNames, card.FeatureOrder);
            Assert.Equal(17, card.EncoderVocab.Count);
            Assert.Equal("mos", card.Kind);
            Assert.Equal(seed, card.Recipe.Seed);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                await File.ReadAllBytesAsync(Path.Combine(layout.Models, card.OnnxFile)))), card.OnnxSha256);
            var csv = await File.ReadAllLinesAsync(Path.Combine(layout.Models, $"heldout_seed{seed}.csv"));
            Assert.Equal("id,mos,predicted", csv[0]);
            Assert.Equal(report.HeldOutRows, csv.Length - 1);
            Assert.Equal(report.HeldOutRows, card.Metrics.N);
        }
        var png = await File.ReadAllBytesAsync(Path.Combine(layout.Models, "scatter.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public async Task Exported_onnx_has_exactly_a_features_input_and_a_mos_output()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "sample");
        await ModelCorpus.WriteAsync(layout.CorpusJsonl, 200);
        await Trainer.RunAsync(layout, Options(0), NullProgress.Instance, default);

        using var session = new InferenceSession(Path.Combine(layout.Models, "seed0.onnx"));
        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("features", input.Key);
        Assert.Equal(typeof(float), input.Value.ElementType);
        Assert.Equal([-1, ModelCorpus.FeatureNames.Length], input.Value.Dimensions);
        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal("mos", output.Key);
        Assert.Equal(typeof(float), output.Value.ElementType);
        Assert.Equal([-1], output.Value.Dimensions);
    }

    [Theory]
    [InlineData(MosLearner.LightGbm)]
    [InlineData(MosLearner.FastTree)]
    public async Task Onnx_predictions_equal_mlnet_in_memory_predictions_on_every_heldout_row(MosLearner learner)
    {
        using var dir = new TempDir();
        var path = dir["corpus.jsonl"];
        await ModelCorpus.WriteAsync(path, 300);
        var matrix = await CorpusMatrix.LoadAsync(path, null, NullProgress.Instance, default);
        var split = Trainer.Split(matrix, 0.1);
        var options = Options(2) with { Learner = learner };
        var (model, chosen, _, _, _) = Trainer.FitSeed(matrix, split.Train, 2, options, default);
        Assert.Equal(learner, chosen);

        var inMemory = MosTrainer.Predict(model, matrix, split.HeldOut);
        using var onnx = new MosOnnxModel(OnnxExport.Export(model, matrix, 2));
        var exported = onnx.Predict(Trainer.Gather(matrix, split.HeldOut), split.HeldOut.Length);

        Assert.Equal(split.HeldOut.Length, exported.Length);
        Assert.True(split.HeldOut.Length >= 20, $"only {split.HeldOut.Length} held-out rows");
        for (var i = 0; i < exported.Length; i++)
            Assert.True(Math.Abs(exported[i] - Math.Clamp(inMemory[i], 1f, 5f)) <= 1e-4,
                $"row {matrix.Ids[split.HeldOut[i]]}: ONNX {exported[i]} vs ML.NET {inMemory[i]}");
    }

    [Theory]
    [InlineData(1, MosLearner.LightGbm)]
    [InlineData(2, MosLearner.Auto)]
    public async Task Same_seed_twice_gives_identical_onnx_bytes(int threads, MosLearner learner)
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var options = Options(3) with { Threads = threads, Learner = learner };
        var (layoutA, _) = await ModelFixtures.TrainAsync(a.Path, options: options);
        var (layoutB, _) = await ModelFixtures.TrainAsync(b.Path, options: options);

        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(layoutA.Models, "seed3.onnx")),
                     await File.ReadAllBytesAsync(Path.Combine(layoutB.Models, "seed3.onnx")));
    }

    [Fact]
    public async Task Different_seeds_give_different_models_and_predictions()
    {
        using var dir = new TempDir();
        var (layout, report) = await ModelFixtures.TrainAsync(dir.Path, options: Options(0, 1));

        Assert.NotEqual(report.Seeds[0].OnnxSha256, report.Seeds[1].OnnxSha256);
        var p0 = (await File.ReadAllLinesAsync(Path.Combine(layout.Models, "heldout_seed0.csv"))).Skip(1).Select(l => l.Split(',')[2]);
        var p1 = (await File.ReadAllLinesAsync(Path.Combine(layout.Models, "heldout_seed1.csv"))).Skip(1).Select(l => l.Split(',')[2]);
        Assert.NotEqual(p0, p1);
        var card = await ModelCard.ReadAsync(Path.Combine(layout.Models, "seed1.card.json"), default);
        Assert.Contains("bagging", card.Recipe.SeedChanges);
        Assert.Contains("validation carve-out", card.Recipe.SeedChanges);
    }

    [Fact]
    public async Task Heldout_fold_does_not_move_when_clips_are_added()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["small.jsonl"], ModelCorpus.Build(300));
        await File.WriteAllTextAsync(dir["grown.jsonl"], ModelCorpus.Build(150, firstClip: 300) + ModelCorpus.Build(300));
        var small = await CorpusMatrix.LoadAsync(dir["small.jsonl"], null, NullProgress.Instance, default);
        var grown = await CorpusMatrix.LoadAsync(dir["grown.jsonl"], null, NullProgress.Instance, default);

        var heldSmall = Trainer.Split(small, 0.1).HeldOut.Select(r => small.Ids[r]).ToHashSet();
        var heldGrown = Trainer.Split(grown, 0.1).HeldOut.Select(r => grown.Ids[r]).ToHashSet();

        Assert.InRange(heldSmall.Count, 15, 50);
        Assert.Equal(heldSmall, heldGrown.Where(id => small.Ids.Contains(id)).ToHashSet());
        Assert.Contains(heldGrown, id => !small.Ids.Contains(id));
    }

    [Fact]
    public async Task Rows_lacking_a_feature_or_a_valid_mos_are_skipped_into_attrition()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "sample");
        var corpus = ModelCorpus.Build(300)
            + "{\"features\":{\"blur_p90\":0.5},\"mos\":3.1,\"src\":\"short.mp4\"}\n"
            + "{\"features\":{\"blur_p90\":0.5,\"noise_mean\":0.1,\"si_mean\":0.2,\"ti_mean\":0.3},\"mos\":7,\"src\":\"badmos.mp4\"}\n";
        Directory.CreateDirectory(layout.Root);
        await File.WriteAllTextAsync(layout.CorpusJsonl, corpus);

        var report = await Trainer.RunAsync(layout, Options(0), NullProgress.Instance, default);

        Assert.Equal(300, report.Rows);
        Assert.Equal(2, report.SkippedRows);
        var attrition = await File.ReadAllTextAsync(layout.Attrition);
        Assert.Contains("short.mp4,Train,feature 'noise_mean' is missing", attrition);
        Assert.Contains("badmos.mp4,Train,\"mos 7 is not a number in [1, 5]\"", attrition);
    }

    [Fact]
    public async Task Skipping_more_rows_than_the_loss_ceiling_allows_fails_naming_the_share_and_reasons()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "sample");
        var corpus = ModelCorpus.Build(30) + string.Concat(Enumerable.Range(0, 5).Select(i =>
            $"{{\"features\":{{\"blur_p90\":0.5,\"noise_mean\":0.1,\"si_mean\":0.2,\"ti_mean\":0.3}},\"mos\":7,\"src\":\"bad{i}.mp4\"}}\n"));
        Directory.CreateDirectory(layout.Root);
        await File.WriteAllTextAsync(layout.CorpusJsonl, corpus);
        var ceiling = new Konvid.Core.Jsonl.LossCeiling(10, "corpora/sample.yaml max_loss");

        var e = await Assert.ThrowsAsync<KonvidException>(() => Trainer.RunAsync(layout, Options(0) with { MaxSkipped = ceiling }, NullProgress.Instance, default));

        // 5 of 35 = 14.3 %.
        Assert.Equal("Train: 5 of 35 rows of sample.jsonl skipped (14.3 %), above the 10 % ceiling of corpora/sample.yaml max_loss: " +
                     "5 Train: mos # is not a number in [#, #]", e.Problem);
        Assert.Contains("--max-loss 15", e.Hint);
        Assert.Contains("bad0.mp4,Train", await File.ReadAllTextAsync(layout.Attrition));
        Assert.False(Directory.Exists(layout.Models));
    }

    [Fact]
    public async Task A_corpus_too_small_for_a_heldout_fold_is_a_clear_error()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "sample");
        await ModelCorpus.WriteAsync(layout.CorpusJsonl, 12);

        var e = await Assert.ThrowsAsync<KonvidException>(() => Trainer.RunAsync(layout, Options(0), NullProgress.Instance, default));
        Assert.Contains("held-out rows", e.Message);
    }
}
