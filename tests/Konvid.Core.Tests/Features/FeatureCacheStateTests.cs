using Konvid.Core.Features;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Features;

public class FeatureCacheStateTests
{
    private const string Sha = "ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd";

    [Fact]
    public async Task The_state_of_an_entry_says_computed_failed_or_absent_without_reading_its_features()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        Assert.Null(await FeatureCache.TryReadStateAsync(layout, Sha, "nr-v1", deep: false));

        await FeatureCache.WriteAsync(layout, new ClipFeatures(Sha, "nr-v1", false, new SortedDictionary<string, double> { ["si_mean"] = 1.5 }));
        Assert.Equal(new CachedState(null), await FeatureCache.TryReadStateAsync(layout, Sha, "nr-v1", deep: false));
        Assert.Null(await FeatureCache.TryReadStateAsync(layout, Sha, "nr-v1", deep: true));

        await FeatureCache.WriteAsync(layout, new ClipFeatures(Sha, "nr-v1", true, null, "moov atom not found"));
        Assert.Equal(new CachedState("moov atom not found"), await FeatureCache.TryReadStateAsync(layout, Sha, "nr-v1", deep: true));
    }

    [Fact]
    public async Task A_torn_entry_counts_as_absent_so_the_clip_is_computed_again()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var path = FeatureCache.PathFor(layout, Sha, "nr-v1", false);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "{\"src_sha256\":\"ab\",\"features\":{\"si_mean\":1.");
        Assert.Null(await FeatureCache.TryReadStateAsync(layout, Sha, "nr-v1", deep: false));
    }
}
