using Konvid.Core.Features.Deep;
using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>The Features stage as the build runs it: the classic nr-v1 measures, plus the CNN features when asked.</summary>
public static class FeatureStage
{
    public static async Task<FeaturesReport> RunAsync(CorpusLayout layout, int jobs, Shard shard, bool deep, DeviceKind device,
        FolderFiles? cacheListed, IProgressReporter progress, CancellationToken ct)
    {
        using var featurizer = deep ? DeepFeaturizer.Create(device, progress) : null;
        return await FeatureExtractor.RunAsync(layout, new FeatureOptions(jobs, shard, featurizer, cacheListed), progress, ct);
    }
}
