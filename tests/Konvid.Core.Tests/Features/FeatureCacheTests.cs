using Konvid.Bench;
using Konvid.Core.Features;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Features;

public class FeatureCacheTests
{
    private const string Sha = "ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd";

    [Fact]
    public async Task Reads_what_the_feature_cache_wrote_in_ordinal_order()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var sha = new string('a', 64);
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var names = SyntheticFeatureCorpus.FeatureNames(deep: true);
        for (var i = 0; i < names.Count; i++) values[names[i]] = (i % 2 == 0 ? -1 : 1) * (i + 0.1) / 7.0;
        values["Z_upper_case_sorts_first"] = 1e-300;
        await FeatureCache.WriteAsync(layout, new ClipFeatures(sha, "nr-v1", true, values));

        var entry = FeatureCache.TryRead(layout, sha, "nr-v1", true);

        Assert.NotNull(entry?.Features);
        Assert.Null(entry.Error);
        Assert.Equal(values.OrderBy(kv => kv.Key, StringComparer.Ordinal), entry.Features);
        Assert.Equal("Z_upper_case_sorts_first", entry.Features[0].Key);
        Assert.Equal(1_071, entry.Features.Length);
    }

    [Fact]
    public async Task Reports_a_failed_entry_and_treats_absent_or_torn_entries_as_missing()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var failed = new string('b', 64);
        var torn = new string('c', 64);
        await FeatureCache.WriteAsync(layout, new ClipFeatures(failed, "nr-v1", false, null, "ffmpeg exited 1: invalid data"));
        var tornPath = FeatureCache.PathFor(layout, torn, "nr-v1", false);
        Directory.CreateDirectory(Path.GetDirectoryName(tornPath)!);
        await File.WriteAllTextAsync(tornPath, "{\"src_sha256\":\"ccc\",\"features\":{\"si_max\":4");

        Assert.Equal(new FeatureEntry(null, "ffmpeg exited 1: invalid data"), FeatureCache.TryRead(layout, failed, "nr-v1", false));
        Assert.Null(FeatureCache.TryRead(layout, torn, "nr-v1", false));
        Assert.Null(FeatureCache.TryRead(layout, new string('d', 64), "nr-v1", false));
    }

    [Fact]
    public void Entries_with_different_names_in_turn_each_keep_their_own_names()
    {
        for (var round = 0; round < 3; round++)
        {
            var shallow = FeatureCache.Parse("{\"features\":{\"si_max\":1,\"ti_max\":2}}"u8)!.Features!;
            var other = FeatureCache.Parse("{\"features\":{\"si_max\":3,\"si_mean\":4,\"ti_max\":5}}"u8)!.Features!;
            var renamed = FeatureCache.Parse("{\"features\":{\"si_max\":6,\"ti_mean\":7}}"u8)!.Features!;

            Assert.Equal([new("si_max", 1.0), new("ti_max", 2.0)], shallow);
            Assert.Equal([new("si_max", 3.0), new("si_mean", 4.0), new("ti_max", 5.0)], other);
            Assert.Equal([new("si_max", 6.0), new KeyValuePair<string, double>("ti_mean", 7.0)], renamed);
        }
    }

    [Fact]
    public void Sorts_names_another_writer_left_unsorted_and_reads_a_non_number_as_nan()
    {
        var entry = FeatureCache.Parse("{\"features\":{\"ti_max\":2,\"blur_p10\":\"NaN\",\"si_max\":1.5}}"u8);

        var features = entry!.Features!;
        Assert.Equal(["blur_p10", "si_max", "ti_max"], features.Select(f => f.Key));
        Assert.True(double.IsNaN(features[0].Value));
    }

    [Fact]
    public async Task The_state_of_an_entry_says_computed_failed_or_absent_without_reading_its_features()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        Assert.Null(FeatureCache.TryRead(layout, Sha, "nr-v1", deep: false, FeatureRead.StateOnly));

        await FeatureCache.WriteAsync(layout, new ClipFeatures(Sha, "nr-v1", false, new SortedDictionary<string, double> { ["si_mean"] = 1.5 }));
        Assert.Equal(new FeatureEntry(null, null), FeatureCache.TryRead(layout, Sha, "nr-v1", deep: false, FeatureRead.StateOnly));
        Assert.Null(FeatureCache.TryRead(layout, Sha, "nr-v1", deep: true, FeatureRead.StateOnly));

        await FeatureCache.WriteAsync(layout, new ClipFeatures(Sha, "nr-v1", true, null, "moov atom not found"));
        Assert.Equal(new FeatureEntry(null, "moov atom not found"), FeatureCache.TryRead(layout, Sha, "nr-v1", deep: true, FeatureRead.StateOnly));
    }

    [Fact]
    public async Task A_torn_entry_counts_as_absent_so_the_clip_is_computed_again()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var path = FeatureCache.PathFor(layout, Sha, "nr-v1", false);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "{\"src_sha256\":\"ab\",\"features\":{\"si_mean\":1.");
        Assert.Null(FeatureCache.TryRead(layout, Sha, "nr-v1", deep: false, FeatureRead.StateOnly));
    }
}
