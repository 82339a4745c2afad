using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>
/// How Features runs: <paramref name="Jobs"/> clips decoded at once, only the clips of <paramref name="Shard"/>, and the CNN
/// analyzer factory when deep features are on (null: classic nr-v1 measures only), and the feature cache's files as the
/// build engine listed them for this run (null lists them here).
/// </summary>
public sealed record FeatureOptions(int Jobs, Shard Shard, IFrameAnalyzerFactory? Deep = null, FolderFiles? CacheListed = null);
