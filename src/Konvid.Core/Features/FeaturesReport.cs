namespace Konvid.Core.Features;

/// <summary>
/// What one Features run did: <paramref name="Clips"/> probed clips in the shard, <paramref name="Computed"/> now,
/// <paramref name="UpToDate"/> already cached, <paramref name="Failed"/> (old and new) gone to attrition,
/// <paramref name="Frames"/> decoded now.
/// </summary>
public sealed record FeaturesReport(int Clips, int Computed, int UpToDate, int Failed, long Frames, bool Deep, TimeSpan Elapsed)
{
    public double FramesPerSecond => Elapsed.TotalSeconds > 0 ? Frames / Elapsed.TotalSeconds : 0;
}
