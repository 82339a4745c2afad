using System.Globalization;
using System.Text.Json;
using Konvid.Core.Predict;
using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Core.Evaluate;

/// <summary>Parameters of Evaluate: which rows, the held-out fraction (null: the one the model was trained with), ONNX threads.</summary>
public sealed record EvaluateOptions(double? Holdout = null, int Threads = 1, EvaluateRows Rows = EvaluateRows.Heldout);

/// <summary>
/// Evaluate: measures any model folder (registry/ or models/) on a corpus as it is now, with the same runtime and
/// metrics as Train: its held-out fold, or every row (cross-corpus: a model trained on one corpus, tested on another).
/// The model's card decides which features are read; a feature the corpus lacks is one line naming it. Writes
/// metrics.json, predictions.csv and scatter.png into &lt;corpus&gt;/evaluations/&lt;model id&gt;-&lt;rows&gt;/.
/// </summary>
public static class Evaluator
{
    private const int MinRows = 4;

    public static async Task<EvaluateReport> RunAsync(CorpusLayout layout, string modelDir, EvaluateOptions options, IProgressReporter progress, CancellationToken ct)
    {
        if (!Directory.Exists(modelDir))
            throw new KonvidException($"Evaluate: no model in {modelDir}", "point --model at a folder Gate promoted (registry/) or Train wrote (models/)");
        if (!File.Exists(layout.CorpusJsonl))
            throw new KonvidException($"Evaluate: corpus {layout.CorpusJsonl} does not exist", $"build it first: ./build.sh Jsonl --corpus {layout.Corpus}");
        using var predictor = Predictor.Load(modelDir, options.Threads);
        var matrix = await CorpusMatrix.LoadAsync(layout.CorpusJsonl, predictor.FeatureOrder, NullProgress.Instance, ct);
        var missing = matrix.Skipped.Where(s => s.Reason.StartsWith("feature '", StringComparison.Ordinal) && s.Reason.EndsWith("' is missing", StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
            throw new KonvidException($"Evaluate: {missing.Count} rows of {layout.CorpusJsonl} lack a feature the model in {modelDir} reads ({missing[0].Reason} in {missing[0].Id})",
                $"the model was trained on feature set {predictor.Cards[0].FeatureSet}; build the corpus with the same features (e.g. --deep-features true) or evaluate a model trained without them");
        if (matrix.Skipped.Count > 0)
            progress.Warn($"Evaluate: {matrix.Skipped.Count} rows skipped (first: {matrix.Skipped[0].Id}: {matrix.Skipped[0].Reason})");

        var card = predictor.Cards[0];
        int[] rows = options.Rows == EvaluateRows.All
            ? Enumerable.Range(0, matrix.Rows).ToArray()
            : Trainer.Split(matrix, options.Holdout ?? card.Data.Holdout).HeldOut;
        if (options.Rows == EvaluateRows.All && matrix.JsonlSha256 == card.Data.JsonlSha256)
            progress.Warn($"Evaluate: the model was trained on this very corpus; --rows all includes its {card.Data.TrainRows} training rows");
        if (rows.Length < MinRows)
            throw new KonvidException($"Evaluate: {layout.CorpusJsonl} gives {rows.Length} usable {(options.Rows == EvaluateRows.All ? "" : "held-out ")}rows; at least {MinRows} are needed",
                options.Rows == EvaluateRows.All ? "add clips to the corpus" : "add clips, raise --holdout, or use --rows all for a corpus the model never saw");

        var mos = rows.Select(r => (double)matrix.Mos[r]).ToArray();
        var perSeed = predictor.PredictRows(Trainer.Gather(matrix, rows), rows.Length);
        var seeds = perSeed.Select(p => (p.Seed, Trainer.Measure(p.Mos.Select(v => (double)v).ToArray(), mos, $"Evaluate seed {p.Seed}"))).ToList();
        var ensemble = Enumerable.Range(0, rows.Length).Select(i => perSeed.Average(p => (double)p.Mos[i])).ToArray();
        var mean = new ModelMetrics(rows.Length,
            seeds.Average(s => s.Item2.Plcc), seeds.Average(s => s.Item2.Srocc), seeds.Average(s => s.Item2.Krocc),
            seeds.Average(s => s.Item2.Rmse), seeds.Average(s => s.Item2.PlccLogistic));
        var ensembleMetrics = Trainer.Measure(ensemble, mos, "Evaluate, the seeds' mean");

        var rowsName = options.Rows == EvaluateRows.All ? "all" : "heldout";
        var output = Path.Combine(layout.Root, "evaluations", $"{predictor.ModelId}-{rowsName}");
        Directory.CreateDirectory(output);
        AtomicFile.SweepLeftovers("Evaluate", progress, TempPlace.Tree(output));
        var report = new EvaluateReport(Path.GetFullPath(modelDir), predictor.ModelId, layout.Corpus, layout.CorpusJsonl, matrix.JsonlSha256,
            options.Rows, rows.Length, matrix.Skipped.Count, seeds, mean, ensembleMetrics, output);
        await AtomicFile.WriteAllTextAsync(Path.Combine(output, "predictions.csv"), PredictionsCsv(matrix, rows, perSeed, ensemble), ct);
        var title = $"{ModelCard.ModelName} {predictor.ModelId} on {layout.Corpus} ({rowsName} rows, n={rows.Length}): " +
                    $"PLCC {ensembleMetrics.Plcc:F3} SROCC {ensembleMetrics.Srocc:F3} RMSE {ensembleMetrics.Rmse:F3}";
        await AtomicFile.WriteAllBytesAsync(Path.Combine(output, "scatter.png"), ScatterPlot.Render(mos, ensemble, title), ct);
        await AtomicFile.WriteAllTextAsync(Path.Combine(output, "metrics.json"), ToJson(report, indented: true) + "\n", ct);
        progress.Info($"Evaluate: {rows.Length} {rowsName} rows of {layout.Corpus}; metrics, predictions and scatter plot in {output}");
        return report;
    }

    /// <summary>The result on stdout: the report as one JSON document, or a line for the seeds' mean prediction, each seed, and their mean.</summary>
    public static async Task WriteAsync(EvaluateReport report, bool json, TextWriter stdout)
    {
        if (json) await stdout.WriteLineAsync(ToJson(report, indented: false));
        else
        {
            static string Line(string what, ModelMetrics m) =>
                string.Create(CultureInfo.InvariantCulture, $"{what}: n {m.N} PLCC {m.Plcc:F4} SROCC {m.Srocc:F4} KROCC {m.Krocc:F4} RMSE {m.Rmse:F4}");
            await stdout.WriteLineAsync(Line("seeds' mean prediction", report.Ensemble));
            foreach (var (seed, metrics) in report.Seeds) await stdout.WriteLineAsync(Line($"seed {seed}", metrics));
            await stdout.WriteLineAsync(Line("mean over seeds", report.Mean));
        }
        await stdout.FlushAsync();
    }

    public static string ToJson(EvaluateReport report, bool indented) => JsonSerializer.Serialize(new
    {
        ModelDir = report.ModelDir,
        Model = report.Model,
        Corpus = new { Name = report.Corpus, Jsonl = report.CorpusJsonl, report.JsonlSha256 },
        Rows = report.Rows == EvaluateRows.All ? "all" : "heldout",
        report.N,
        report.Skipped,
        Ensemble = report.Ensemble,
        PerSeed = report.Seeds.Select(s => new { s.Seed, s.Metrics }),
        MeanOverSeeds = report.Mean,
        Output = report.OutputDir,
    }, new JsonSerializerOptions(ModelCard.Json) { WriteIndented = indented });

    /// <summary>id, mos, predicted (the seeds' mean), then predicted_seed&lt;N&gt; per seed; numbers round-trip exactly.</summary>
    private static string PredictionsCsv(CorpusMatrix matrix, int[] rows, IReadOnlyList<(int Seed, float[] Mos)> perSeed, double[] ensemble)
    {
        static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var csv = new CsvWriter(["id", "mos", "predicted", .. perSeed.Select(p => "predicted_seed" + p.Seed.ToString(CultureInfo.InvariantCulture))]);
        for (var i = 0; i < rows.Length; i++)
            csv.Row([matrix.Ids[rows[i]], Number(matrix.Mos[rows[i]]), Number(ensemble[i]), .. perSeed.Select(p => Number(p.Mos[i]))]);
        return csv.ToString();
    }
}
