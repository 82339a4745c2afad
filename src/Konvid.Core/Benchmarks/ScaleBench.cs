namespace Konvid.Core.Benchmarks;

/// <summary>
/// KonViD-150k-shaped clips (960x540, 25 fps) decoded at the decode limit: their CPU seconds per clip are the floor of
/// any Features run, and with the CNN's per-clip cost they make the extrapolation.
/// </summary>
internal static class ScaleBench
{
    public const string DecodeKey = "decode";

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var seconds = context.Options.Quick ? 1 : ScaleEstimate.Seconds;
        var count = context.Options.Quick ? context.Jobs : 2 * context.Jobs;
        var clips = await BenchClips.EnsureAsync(context.Folder("clips-540p"), count, ScaleEstimate.Width, ScaleEstimate.Height, seconds,
            (int)ScaleEstimate.FramesPerSecond, context.Jobs, context.Progress, ct);
        var frames = count * seconds * ScaleEstimate.FramesPerSecond;
        var decode = await Sampled.RunAsync(context.Runs, null, c => DecodeLimit.RunAsync(clips, context.Jobs, c), ct);
        var perClip = decode.Cpu.Median / frames * ScaleEstimate.FramesPerClip;
        context.Log.CoreSecondsPer540pClip[DecodeKey] = perClip;
        context.Log.Rows.Add(new BenchRow($"Decode limit at 540p, {count} clips of {seconds:0.#} s, --jobs {context.Jobs}", null,
            new Measured(DecodeLimit.Command(context.Jobs), decode.Wall, frames, "frames"), null,
            $"{BenchFormat.Number(perClip)} CPU s per 5 s 540p clip (ffmpeg's own CPU time); the floor under Features at KonViD-150k's geometry"));
    }
}
