using System.Globalization;
using Konvid.Core.Modeling;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Microsoft.ML.OnnxRuntime;

namespace Konvid.Core.Tests.Modeling;

public class TrainerTests
{
    private static readonly MosHyperParameters Tiny = new(Trees: 20, Leaves: 8, MinRowsPerLeaf: 5, LearningRate: 0.2);

    private static TrainOptions Options(params int[] seeds) =>
        new(Seeds: seeds, Holdout: 0.1, Threads: 1, HyperParameters: Tiny, CvFolds: 0);

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
}
