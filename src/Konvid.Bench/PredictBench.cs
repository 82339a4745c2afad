using System.Globalization;
using System.Text;
using Konvid.Core.Features;
using Konvid.Core.Features.Deep;
using Konvid.Core.Predict;
using Konvid.Core.Probe;
using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// Batch Predict (hash, ffprobe, one decode for the nr-v1 features, the heads) over KonViD-150k-shaped clips against
/// Features alone (deep off) on the same clips at the same --jobs: what scoring adds to featurising. The head is
/// trained here on synthetic rows (its MOS means nothing; its cost is the real one).
/// </summary>
internal static class PredictBench
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var (clips, layout, seconds) = await MediaCorpus.ProbedAsync(context, "predict", ct);
        var count = clips.Count;

        var features = await Sampled.RunAsync(context.Runs, _ => { BenchContext.Clear(layout.FeaturesDir); return Task.CompletedTask; },
            c => FeatureExtractor.RunAsync(layout, new FeatureOptions(context.Jobs, Shard.All), NullProgress.Instance, c), ct);
        var models = await TrainHeadAsync(context.Folder("predict-head"), ct);

        var outFile = Path.Combine(context.Folder("predict-out"), "scores.jsonl");
        var predict = await Sampled.RunAsync(context.Runs, _ => { if (File.Exists(outFile)) File.Delete(outFile); return Task.CompletedTask; },
            async c =>
            {
                var report = await BatchPredictor.RunAsync(clips, new PredictOptions(models, DeviceKind.Cpu, context.Jobs, outFile), NullProgress.Instance, TextWriter.Null, c);
                if (report.Clips.Count != count)
                    throw new KonvidException($"Bench: Predict scored {report.Clips.Count} of {count} clips", "the Predict benchmark is broken: every clip must be scored on each run");
            }, ct);
        context.Log.Rows.Add(new BenchRow($"Batch Predict (deep off) vs Features alone, {count} clips of 960x540 {seconds:0.#} s, --jobs {context.Jobs}",
            new Measured("Features, deep off (same clips)", features.Wall, count, "clips"),
            new Measured("Predict --clip FOLDER --out FILE", predict.Wall, count, "clips"), null,
            $"{BenchFormat.Number(count / predict.Wall.Median)} clips/s scored against {BenchFormat.Number(count / features.Wall.Median)} clips/s featurised; "
            + "Predict adds hashing, ffprobe, the ONNX heads and the --out row per clip; one ./build.sh start-up is not included"));
    }

    /// <summary>
    /// A one-seed head on 200 synthetic rows of four nr-v1 features; returns its models/ folder. Predict computes every
    /// nr-v1 feature of a clip whatever the head reads, so its cost is the real one.
    /// </summary>
    private static async Task<string> TrainHeadAsync(string root, CancellationToken ct)
    {
        string[] names = ["blur_p90", "noise_mean", "si_mean", "ti_mean"];
        var rnd = new Random(5);
        var sb = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            sb.Append("{\"features\":{").AppendJoin(',', names.Select(n => string.Create(CultureInfo.InvariantCulture, $"\"{n}\":{rnd.NextDouble() * 50:R}")));
            sb.Append(CultureInfo.InvariantCulture, $"}},\"mos\":{1 + 4 * rnd.NextDouble():R},\"src\":\"synthetic{i:D4}.mp4\"}}\n");
        }
        var layout = new CorpusLayout(root, "synthetic");
        Directory.CreateDirectory(layout.Root);
        await AtomicFile.WriteAllTextAsync(layout.CorpusJsonl, sb.ToString(), ct);
        await Trainer.RunAsync(layout, new TrainOptions([0], Threads: 1, HyperParameters: new MosHyperParameters(Trees: 50), CvFolds: 0), NullProgress.Instance, ct);
        return layout.Models;
    }
}
