namespace Konvid.Core.Probe;

/// <summary>
/// What one Probe run did: <paramref name="Clips"/> in the shard, <paramref name="Probed"/> now,
/// <paramref name="UpToDate"/> already in the store, <paramref name="Failed"/> (old and new) gone to attrition;
/// <paramref name="FastPath"/> of the probed clips were read from MP4 boxes, <paramref name="Ffprobe"/> needed an ffprobe
/// process (the rest were missing files).
/// </summary>
public sealed record ProbeReport(int Clips, int Probed, int UpToDate, int Failed, int FastPath, int Ffprobe, TimeSpan Elapsed, string StoreFile);
