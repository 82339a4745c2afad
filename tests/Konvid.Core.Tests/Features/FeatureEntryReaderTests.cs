using Konvid.Bench;
using Konvid.Core.Features;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Features;

public class FeatureEntryReaderTests
{
    [Fact]
    public async Task Reads_what_the_feature_cache_wrote_exactly_as_the_cache_reads_it_in_ordinal_order()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var sha = new string('a', 64);
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var names = SyntheticFeatureCorpus.FeatureNames(deep: true);
        for (var i = 0; i < names.Count; i++) values[names[i]] = (i % 2 == 0 ? -1 : 1) * (i + 0.1) / 7.0;
        values["Z_upper_case_sorts_first"] = 1e-300;
        await FeatureCache.WriteAsync(layout, new ClipFeatures(sha, "nr-v1", true, values));

        var fast = await FeatureEntryReader.TryReadAsync(layout, sha, "nr-v1", true);
        var contract = await FeatureCache.TryReadAsync(layout, sha, "nr-v1", true);

        Assert.NotNull(fast?.Features);
        Assert.Null(fast.Error);
        Assert.Equal(contract!.Features!.OrderBy(kv => kv.Key, StringComparer.Ordinal), fast.Features);
        Assert.Equal("Z_upper_case_sorts_first", fast.Features[0].Key);
        Assert.Equal(1_071, fast.Features.Length);
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

        Assert.Equal(new FeatureEntry(null, "ffmpeg exited 1: invalid data"), await FeatureEntryReader.TryReadAsync(layout, failed, "nr-v1", false));
        Assert.Null(await FeatureEntryReader.TryReadAsync(layout, torn, "nr-v1", false));
        Assert.Null(await FeatureCache.TryReadAsync(layout, torn, "nr-v1", false));
        Assert.Null(await FeatureEntryReader.TryReadAsync(layout, new string('d', 64), "nr-v1", false));
    }

    [Fact]
    public void Entries_with_different_names_in_turn_each_keep_their_own_names()
    {
        for (var round = 0; round < 3; round++)
        {
            var shallow = FeatureEntryReader.Parse("{\"features\":{\"si_max\":1,\"ti_max\":2}}"u8)!.Features!;
            var other = FeatureEntryReader.Parse("{\"features\":{\"si_max\":3,\"si_mean\":4,\"ti_max\":5}}"u8)!.Features!;
            var renamed = FeatureEntryReader.Parse("{\"features\":{\"si_max\":6,\"ti_mean\":7}}"u8)!.Features!;

            Assert.Equal([new("si_max", 1.0), new("ti_max", 2.0)], shallow);
            Assert.Equal([new("si_max", 3.0), new("si_mean", 4.0), new("ti_max", 5.0)], other);
            Assert.Equal([new("si_max", 6.0), new KeyValuePair<string, double>("ti_mean", 7.0)], renamed);
        }
    }

    [Fact]
    public void Sorts_names_another_writer_left_unsorted_and_reads_a_non_number_as_nan()
    {
        var entry = FeatureEntryReader.Parse("{\"features\":{\"ti_max\":2,\"blur_p10\":\"NaN\",\"si_max\":1.5}}"u8);

        var features = entry!.Features!;
        Assert.Equal(["blur_p10", "si_max", "ti_max"], features.Select(f => f.Key));
        Assert.True(double.IsNaN(features[0].Value));
    }
}
