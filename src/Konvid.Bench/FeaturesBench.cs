using Konvid.Core.Features;
using Konvid.Core.Features.Deep;
using Konvid.Core.Probe;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// Features on KonViD-150k-shaped clips (960x540, 25 fps) against the decode limit on the same clips at the same
/// parallelism, deep features off; then with deep features on (CNN on CPU). The feature cache is removed before
/// each run. CPU seconds per frame from these runs make the extrapolation.
/// </summary>
internal static class FeaturesBench
{
    public const string DeepCost = "features-deep";

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var (clips, layout, seconds) = await MediaCorpus.ProbedAsync(context, "features", ct);
        var count = clips.Count;

        var frames = count * seconds * ScaleEstimate.FramesPerSecond;
        var decode = await Sampled.RunAsync(context.Runs, null, c => DecodeLimit.RunAsync(clips, context.Jobs, c), ct);
        var off = await Sampled.RunAsync(context.Runs, _ => Clear(layout), c => ExtractAsync(layout, new FeatureOptions(context.Jobs, Shard.All), count, c), ct);
        var perClip = off.Cpu.Median / frames * ScaleEstimate.FramesPerClip;
        context.Log.CoreSecondsPer540pClip[BenchRunner.FeaturesCost] = perClip;
        context.Log.CoreSecondsPer540pClip[BenchRunner.DecodeCost] = decode.Cpu.Median / frames * ScaleEstimate.FramesPerClip;
        context.Log.Rows.Add(new BenchRow($"Features (deep off) vs decode only, {count} clips of 960x540 {seconds:0.#} s, --jobs {context.Jobs}",
            new Measured(DecodeLimit.Command(context.Jobs), decode.Wall, frames, "frames"),
            new Measured("Features, deep off", off.Wall, frames, "frames"),
            new RatioAtLeast(0.75),
            $"{BenchFormat.Number(perClip)} CPU s per 5 s 540p clip (decode alone: {BenchFormat.Number(decode.Cpu.Median / frames * ScaleEstimate.FramesPerClip)})"));

        using var featurizer = DeepFeaturizer.Create(DeviceKind.Cpu, context.Progress);
        var on = await Sampled.RunAsync(context.Runs, _ => Clear(layout), c => ExtractAsync(layout, new FeatureOptions(context.Jobs, Shard.All, featurizer), count, c), ct);
        var deepPerClip = on.Cpu.Median / frames * ScaleEstimate.FramesPerClip;
        context.Log.CoreSecondsPer540pClip[DeepCost] = deepPerClip;
        context.Log.Rows.Add(new BenchRow($"Features (deep on, CPU), {count} clips of 960x540 {seconds:0.#} s, --jobs {context.Jobs}",
            new Measured(DecodeLimit.Command(context.Jobs), decode.Wall, frames, "frames"),
            new Measured("Features, deep on (CPU)", on.Wall, frames, "frames"), null,
            $"{BenchFormat.Number(count / on.Wall.Median)} clips/s; {BenchFormat.Number(deepPerClip)} CPU s per 5 s 540p clip"));
    }

    private static Task Clear(CorpusLayout layout)
    {
        BenchContext.Clear(layout.FeaturesDir);
        return Task.CompletedTask;
    }

    private static async Task ExtractAsync(CorpusLayout layout, FeatureOptions options, int count, CancellationToken ct)
    {
        var report = await FeatureExtractor.RunAsync(layout, options, NullProgress.Instance, ct);
        if (report.Computed != count || report.Failed != 0)
            throw new KonvidException($"Bench: Features computed {report.Computed} of {count} clips ({report.Failed} failed)", "the Features benchmark is broken: every clip must be computed on each run");
    }
}
