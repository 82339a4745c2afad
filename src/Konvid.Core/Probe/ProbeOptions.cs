using Konvid.Core.Workspace;

namespace Konvid.Core.Probe;

/// <summary>
/// How Probe runs: <paramref name="Jobs"/> clips at once, only the clips of <paramref name="Shard"/>; <paramref name="FastPath"/>
/// reads H.264 MP4s' boxes directly (<see cref="Mp4BoxReader"/>) and leaves only the rest to ffprobe.
/// </summary>
public sealed record ProbeOptions(int Jobs, Shard Shard, bool FastPath = true);
