using Konvid.Core.Predict;
using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Core.Evaluate;

/// <summary>Parameters of Evaluate: the held-out fraction (null: the one the model's cards were trained with).</summary>
public sealed record EvaluateOptions(double? Holdout = null, int Threads = 1);

/// <summary>A registered model's metrics on the current corpus's held-out fold, per seed, their mean, and the seeds' mean prediction.</summary>
public sealed record EvaluateReport(string ModelDir, int HeldOutRows, IReadOnlyList<(int Seed, ModelMetrics Metrics)> Seeds, ModelMetrics Mean, ModelMetrics Ensemble);

/// <summary>
/// Evaluate: measures any model folder (registry/ or models/) on the held-out fold of the corpus as it is now, with
/// the same runtime and metrics as Train; rows lacking a feature the model needs are skipped with a warning.
/// </summary>
public static class Evaluator
{
    public static async Task<EvaluateReport> RunAsync(CorpusLayout layout, string modelDir, EvaluateOptions options, IProgressReporter progress, CancellationToken ct)
    {
        using var predictor = Predictor.Load(modelDir, options.Threads);
        var holdout = options.Holdout ?? predictor.Cards[0].Data.Holdout;
        var matrix = await CorpusMatrix.LoadAsync(layout.CorpusJsonl, predictor.FeatureOrder, progress, ct);
        var heldOut = Trainer.Split(matrix, holdout).HeldOut;
        if (heldOut.Length < 4)
            throw new KonvidException($"Evaluate: the held-out fold of {layout.CorpusJsonl} has {heldOut.Length} usable rows; at least 4 are needed",
                "add clips or raise --holdout");
        var mos = heldOut.Select(r => (double)matrix.Mos[r]).ToArray();
        var perSeed = predictor.PredictRows(Trainer.Gather(matrix, heldOut), heldOut.Length);
        var seeds = perSeed.Select(p => (p.Seed, Trainer.Measure(p.Mos.Select(v => (double)v).ToArray(), mos, $"Evaluate seed {p.Seed}"))).ToList();
        var ensemble = Enumerable.Range(0, heldOut.Length).Select(i => perSeed.Average(p => (double)p.Mos[i])).ToArray();
        var mean = new ModelMetrics(heldOut.Length,
            seeds.Average(s => s.Item2.Plcc), seeds.Average(s => s.Item2.Srocc), seeds.Average(s => s.Item2.Krocc),
            seeds.Average(s => s.Item2.Rmse), seeds.Average(s => s.Item2.PlccLogistic));
        return new EvaluateReport(modelDir, heldOut.Length, seeds, mean, Trainer.Measure(ensemble, mos, "Evaluate, the seeds' mean"));
    }
}
