using Konvid.Core.Sharding;

namespace Konvid.Core.Media;

/// <summary>How Probe runs: <paramref name="Jobs"/> clips at once, only the clips of <paramref name="Shard"/>.</summary>
public sealed record ProbeOptions(int Jobs, Shard Shard)
{
    public static ProbeOptions Default => new(Environment.ProcessorCount, Shard.All);
}
