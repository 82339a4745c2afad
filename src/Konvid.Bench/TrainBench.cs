using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// Train at KonViD-150k scale: Trainer with its defaults (5 seeds, 10-fold cross-validation, ONNX export and
/// evaluation) over Modeling's SyntheticCorpus of 150,000 rows with nr-v1's 46 features; time and peak RSS. A full
/// run takes minutes, so it runs once without a warm-up (said in the row); --quick trains one small seed on 2,000 rows.
/// </summary>
internal static class TrainBench
{
    public const int Features = 46;

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var rows = context.Options.Quick ? 2_000 : 150_000;
        var layout = new CorpusLayout(context.Folder("train"), $"synthetic-{rows}");
        if (!File.Exists(layout.CorpusJsonl)) await SyntheticRowCorpus.WriteAsync(layout.CorpusJsonl, rows, Features, 0, ct);
        // --quick: one LightGBM seed of 50 trees, no cross-validation, a smoke test of the whole Train path (export, ONNX evaluation).
        var options = context.Options.Quick
            ? new TrainOptions(Seeds: [0], CvFolds: 0, Learner: MosLearner.LightGbm, HyperParameters: new MosHyperParameters(Trees: 50))
            : new TrainOptions();
        var ours = await Sampled.RunAsync(1, null, async c =>
        {
            var report = await Trainer.RunAsync(layout, options, NullProgress.Instance, c);
            if (report.Rows != rows)
                throw new KonvidException($"Bench: Train read {report.Rows} of {rows} rows", "the Train benchmark is broken: every synthetic row must be read");
        }, ct, watchMemory: true, warmUp: false);
        context.Log.Rows.Add(new BenchRow($"Train at {rows:#,0} synthetic rows x {Features} features ({options.SeedList.Count} seeds, {(options.CvFolds >= 2 ? $"{options.CvFolds}-fold CV" : "no CV")})", null,
            new Measured("Train", ours.Wall, rows, "rows", ours.PeakRssMb), new WithinBudget(600, 2000),
            "one run, no warm-up: a run takes minutes"));
    }
}
