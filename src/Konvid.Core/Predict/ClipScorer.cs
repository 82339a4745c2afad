using System.Text.Json;
using Konvid.Core.Features;
using Konvid.Core.Features.Deep;
using Konvid.Core.Probe;
using Konvid.Core.Workspace;

namespace Konvid.Core.Predict;

/// <summary>
/// Predict for any clip: probe and featurise it with the same code as the Probe and Features stages, then run the
/// registered model (mean over its seeds). CNN features are computed only when the model was trained on them.
/// </summary>
public static class ClipScorer
{
    public static async Task<Prediction> ScoreAsync(string clip, string modelDir, DeviceKind device, IProgressReporter progress, CancellationToken ct)
    {
        if (!File.Exists(clip))
            throw new KonvidException($"Predict: {clip}: no such file", "give an existing clip with --clip PATH");
        if (!Directory.Exists(modelDir))
            throw new KonvidException($"Predict: no model in {modelDir}", "run Phase3 (or Gate) to register one, or point --model at a models/ or registry folder");

        using var predictor = Predictor.Load(modelDir);
        var sha = await FileHasher.Sha256Async(clip, ct: ct);
        var probe = await FfprobeReader.ProbeAsync(Path.GetFullPath(clip), Path.GetFileName(clip), sha, new FileInfo(clip).Length, ct);
        if (!probe.Ok)
            throw new KonvidException($"Predict: {clip}: cannot be decoded ({probe.Error})", "check the file with ffprobe; Predict needs a video stream");

        var deep = predictor.FeatureOrder.Any(f => f.StartsWith("cnn_", StringComparison.Ordinal));
        using var featurizer = deep ? DeepFeaturizer.Create(device, progress) : null;
        try
        {
            var features = await ClipFeatureComputer.ComputeAsync(Path.GetFullPath(clip), probe, featurizer, ct);
            return predictor.Predict(features);
        }
        catch (KonvidException e) when (!e.Problem.StartsWith("Predict:", StringComparison.Ordinal))
        {
            // Features' reasons leave the clip to the attrition ledger's id column and their hints speak of the corpus.
            throw new KonvidException($"Predict: {clip}: {e.Problem}",
                $"Predict scores only clips the Features stage can measure; see what ffmpeg says: ffmpeg -v error -i \"{clip}\" -f null -", e);
        }
    }

    public static string ToJson(string clip, Prediction prediction) => JsonSerializer.Serialize(new
    {
        clip,
        mos = prediction.Mos,
        seeds = prediction.PerSeed.Select(p => new { seed = p.Seed, mos = p.Mos }),
    });
}
