using Konvid.Core.Features;
using Konvid.Core.Features.Deep;
using Konvid.Core.Probe;
using Konvid.Core.Workspace;

namespace Konvid.Core.Predict;

/// <summary>
/// One clip through the same code as the Probe and Features stages, then the model: ffprobe, one decode for the nr-v1
/// (and, when the model was trained on them, CNN) features, the heads' MOS.
/// </summary>
internal static class ClipScorer
{
    /// <summary>Throws <see cref="KonvidException"/> naming the clip when it cannot be scored.</summary>
    public static async Task<Prediction> ScoreAsync(string clip, string sha256, Predictor predictor, DeepFeaturizer? featurizer, int threads, CancellationToken ct)
    {
        var probe = await FfprobeReader.ProbeAsync(clip, Path.GetFileName(clip), sha256, new FileInfo(clip).Length, ct);
        if (!probe.Ok)
            throw new KonvidException($"cannot be decoded ({probe.Error})", "check the file with ffprobe; Predict needs a video stream");
        var (features, _) = await ClipFeatureComputer.ComputeAsync(clip, probe, featurizer, threads, ct);
        return predictor.Predict(features);
    }

    public static bool NeedsDeepFeatures(Predictor predictor) => predictor.FeatureOrder.Any(f => f.StartsWith("cnn_", StringComparison.Ordinal));
}
