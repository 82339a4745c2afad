using Konvid.Core.Probe;

namespace Konvid.Core.Features.Deep;

/// <summary>
/// Which frames of a clip the CNN sees: <see cref="PerSecond"/> frames per second of duration, at least
/// <see cref="Minimum"/>, spread uniformly in time (the centre of each of N equal segments of the clip).
/// </summary>
public sealed record FrameSampling(double PerSecond = 1.0, int Minimum = 4)
{
    public static readonly FrameSampling Default = new();

    /// <summary>
    /// Frame indices to sample, strictly increasing, chosen up front from the probe. The frame count is ffprobe's
    /// nb_frames when known, else duration x frame rate; when neither is known the plan is frame 0 alone.
    /// </summary>
    public int[] Plan(ProbeResult clip)
    {
        var frames = clip.FrameCount is > 0 ? clip.FrameCount.Value : (long)Math.Round(clip.DurationS * clip.Framerate);
        if (frames <= 0) return [0];
        var duration = clip.DurationS > 0 ? clip.DurationS : clip.Framerate > 0 ? frames / clip.Framerate : 0;
        var count = (int)Math.Min(frames, Math.Max(Minimum, Math.Round(duration * PerSecond)));
        count = Math.Max(1, count);
        var plan = new int[count];
        // Segment centres: (i + 0.5) * frames / count is at least 1 apart because count <= frames, so indices never repeat.
        for (var i = 0; i < count; i++) plan[i] = (int)Math.Floor((i + 0.5) * frames / count);
        return plan;
    }
}
