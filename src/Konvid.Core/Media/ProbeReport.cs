namespace Konvid.Core.Media;

/// <summary>
/// What one Probe run did: <paramref name="Clips"/> in the shard, <paramref name="Probed"/> now,
/// <paramref name="UpToDate"/> already in the store, <paramref name="Failed"/> (old and new) gone to attrition.
/// </summary>
public sealed record ProbeReport(int Clips, int Probed, int UpToDate, int Failed, TimeSpan Elapsed, string StoreFile);
