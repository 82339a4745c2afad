using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// Train at KonViD-150k scale and width: Trainer with its defaults (5 seeds, learner chosen per seed on the carve-out,
/// 10-fold cross-validation, ONNX export and evaluation) over <see cref="WideCorpus"/> (150,000 rows x nr-v1 + 1,024 CNN
/// features, read from its Parquet twin); time, CPU, peak RSS and where the time went. A full run takes minutes, so it
/// runs once without a warm-up (said in the row); --quick trains one small seed on 2,000 rows of the same width, the
/// learner still chosen on a sample so every path runs.
/// </summary>
internal static class TrainBench
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var rows = WideCorpus.Rows(context);
        var layout = await WideCorpus.CorpusAsync(context, ct);
        var options = context.Options.Quick
            ? new TrainOptions(Seeds: [0], CvFolds: 0, ChoiceRows: 500, HyperParameters: new MosHyperParameters(Trees: 30))
            : new TrainOptions();
        TrainReport? last = null;
        var ours = await Sampled.RunAsync(1, null, async c =>
        {
            last = await Trainer.RunAsync(layout, options, NullProgress.Instance, c);
            if (last.Rows != rows)
                throw new KonvidException($"Bench: Train read {last.Rows} of {rows} rows", "the Train benchmark is broken: every synthetic row must be read");
        }, ct, watchMemory: true, warmUp: false);
        var recipe = context.Options.Quick
            ? "--quick: 1 seed of 30 trees, learner chosen on 500 rows, no CV; 2,000 rows, not 150,000"
            : $"{options.SeedList.Count} seeds, learner chosen per seed, {options.CvFolds}-fold CV";
        context.Log.Rows.Add(new BenchRow($"Train at {WideCorpus.Describe(rows)} ({(context.Options.Quick ? "quick recipe" : "default recipe")})", null,
            new Measured("Train", ours.Wall, rows, "rows", ours.PeakRssMb), new WithinBudget(600, 4000),
            $"one run, no warm-up; {recipe}; CPU {BenchFormat.Seconds(ours.Cpu.Median)}; {last!.Timings}; ensemble held-out PLCC {last.Ensemble.Plcc:F3}"));
    }
}
