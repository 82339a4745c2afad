using System.Globalization;
using System.Security.Cryptography;
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
/// trained here on synthetic rows named as the clips' features (its MOS means nothing; its cost is the real one).
/// </summary>
internal static class PredictBench
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var seconds = context.Options.Quick ? 1 : ScaleEstimate.Seconds;
        var count = context.Options.Quick ? context.Jobs : 2 * context.Jobs;
        var clips = await BenchClips.EnsureAsync(context.Folder("clips-540p"), count, ScaleEstimate.Width, ScaleEstimate.Height, seconds,
            (int)ScaleEstimate.FramesPerSecond, context.Jobs, context.Progress, ct);
        var layout = await MediaCorpus.EnsureAsync(context.Folder("predict"), "corpus", clips, context.Jobs, ct);
        foreach (var file in Directory.EnumerateFiles(layout.Root, "probe*.jsonl")) File.Delete(file);
        await Prober.RunAsync(layout, new ProbeOptions(context.Jobs, Shard.All), NullProgress.Instance, ct);

        var features = await Sampled.RunAsync(context.Runs, _ => { BenchContext.Clear(layout.FeaturesDir); return Task.CompletedTask; },
            c => FeatureExtractor.RunAsync(layout, new FeatureOptions(context.Jobs, Shard.All), NullProgress.Instance, c), ct);
        var models = await TrainHeadAsync(layout, clips[0], ct);

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

    /// <summary>A one-seed head on 200 synthetic rows carrying the feature names of a real clip; returns its models/ folder.</summary>
    private static async Task<string> TrainHeadAsync(CorpusLayout clipsLayout, string clip, CancellationToken ct)
    {
        string sha;
        await using (var stream = File.OpenRead(clip)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        var entry = await FeatureCache.TryReadAsync(clipsLayout, sha, "nr-v1", deep: false, ct)
            ?? throw new KonvidException($"Bench: no feature entry for {clip}", "the Predict benchmark is broken: Features must have run");
        var names = entry.Features!.Keys.ToList();
        var rnd = new Random(5);
        var sb = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{{\"features\":{{{string.Join(",", names.Select(n => string.Create(CultureInfo.InvariantCulture, $"\"{n}\":{entry.Features[n] * (0.5 + rnd.NextDouble()):R}")))}}},");
            sb.Append(CultureInfo.InvariantCulture, $"\"mos\":{1 + 4 * rnd.NextDouble():R},\"src\":\"synthetic{i:D4}.mp4\"}}\n");
        }
        var layout = new CorpusLayout(Path.Combine(clipsLayout.Root, "head"), "synthetic");
        Directory.CreateDirectory(layout.Root);
        await AtomicFile.WriteAllTextAsync(layout.CorpusJsonl, sb.ToString(), ct);
        await Trainer.RunAsync(layout, new TrainOptions([0], Threads: 1, HyperParameters: new MosHyperParameters(Trees: 50), CvFolds: 0), NullProgress.Instance, ct);
        return layout.Models;
    }
}
