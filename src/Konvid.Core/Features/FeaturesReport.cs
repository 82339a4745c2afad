using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>
/// What one Features run did: <paramref name="Clips"/> probed clips in the shard, <paramref name="Computed"/> now,
/// <paramref name="UpToDate"/> already cached, <paramref name="Failed"/> (old and new) gone to attrition,
/// <paramref name="Frames"/> decoded now, the cache entries <paramref name="Written"/> now (full paths).
/// </summary>
public sealed record FeaturesReport(int Clips, int Computed, int UpToDate, int Failed, long Frames, bool Deep, TimeSpan Elapsed,
    IReadOnlyList<string> Written, Shard Shard)
{
    /// <summary>Up to this many entries written are named one by one; more, and the cache folder counts as changed whole.</summary>
    private const int NamedEntries = 256;

    public double FramesPerSecond => Elapsed.TotalSeconds > 0 ? Frames / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// What the run changed on disk: the entries it wrote (or features/ whole, past <see cref="NamedEntries"/>), the
    /// cache index and its losses, so a build re-lists only those among features/' 150,000 files.
    /// </summary>
    public IReadOnlyList<string> Changed(CorpusLayout layout) =>
        [.. Written.Count <= NamedEntries ? Written : [layout.FeaturesDir], FeatureIndex.PathFor(layout, Shard), layout.AttritionParts, layout.Attrition];
}
