using System.Globalization;
using System.Text.Json;
using Konvid.Core.Evaluate;
using Konvid.Core.Predict;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Predict;

public class PredictorTests
{
    [Fact]
    public async Task Predicting_a_heldout_clip_from_its_features_agrees_with_the_heldout_predictions_file()
    {
        using var dir = new TempDir();
        var (layout, _) = await ModelFixtures.TrainAsync(dir.Path);
        var heldOut = (await File.ReadAllLinesAsync(Path.Combine(layout.Models, "heldout_seed0.csv")))[1].Split(',');
        var row = (await File.ReadAllLinesAsync(layout.CorpusJsonl)).Single(l => l.Contains($"\"src\":\"{heldOut[0]}\""));
        var features = JsonDocument.Parse(row).RootElement.GetProperty("features").EnumerateObject()
            .Reverse() // the caller's order must not matter: the card's does
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());

        using var predictor = Predictor.Load(layout.Models);
        var prediction = predictor.Predict(features);

        Assert.Equal([0, 1], prediction.PerSeed.Select(p => p.Seed));
        Assert.Equal(double.Parse(heldOut[2], CultureInfo.InvariantCulture), prediction.PerSeed[0].Mos, 5);
        var seed1 = (await File.ReadAllLinesAsync(Path.Combine(layout.Models, "heldout_seed1.csv"))).Single(l => l.StartsWith(heldOut[0] + ",")).Split(',');
        Assert.Equal(double.Parse(seed1[2], CultureInfo.InvariantCulture), prediction.PerSeed[1].Mos, 5);
        Assert.Equal((prediction.PerSeed[0].Mos + prediction.PerSeed[1].Mos) / 2, prediction.Mos, 10);
    }

    [Fact]
    public async Task A_missing_feature_is_a_clear_error_naming_it()
    {
        using var dir = new TempDir();
        var (layout, _) = await ModelFixtures.TrainAsync(dir.Path, options: ModelFixtures.Options(0));
        using var predictor = Predictor.Load(layout.Models);

        var e = Assert.Throws<KonvidException>(() => predictor.Predict(new Dictionary<string, double> { ["blur_p90"] = 0.1, ["si_mean"] = 0.3, ["ti_mean"] = 0.2 }));
        Assert.Contains("no feature 'noise_mean'", e.Message);
    }

    [Fact]
    public async Task An_altered_model_file_is_refused_on_load()
    {
        using var dir = new TempDir();
        var (layout, _) = await ModelFixtures.TrainAsync(dir.Path, options: ModelFixtures.Options(0));
        await File.AppendAllTextAsync(Path.Combine(layout.Models, "seed0.onnx"), "x");

        var e = Assert.Throws<KonvidException>(() => Predictor.Load(layout.Models));
        Assert.Contains("seed0.onnx does not match the SHA-256", e.Message);
    }

    [Fact]
    public async Task Evaluate_reproduces_the_cards_heldout_metrics_for_an_unchanged_corpus()
    {
        using var dir = new TempDir();
        var (layout, report) = await ModelFixtures.TrainAsync(dir.Path);

        var evaluation = await Evaluator.RunAsync(layout, layout.Models, new EvaluateOptions(), NullProgress.Instance, default);

        Assert.Equal(report.HeldOutRows, evaluation.N);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(report.Seeds[i].Metrics.Plcc, evaluation.Seeds[i].Metrics.Plcc, 12);
            Assert.Equal(report.Seeds[i].Metrics.Rmse, evaluation.Seeds[i].Metrics.Rmse, 12);
        }
        Assert.Equal(report.Ensemble.Srocc, evaluation.Ensemble.Srocc, 12);
    }
}
