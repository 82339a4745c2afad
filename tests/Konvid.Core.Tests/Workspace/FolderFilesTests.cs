using Konvid.Core.Download;
using Konvid.Core.Features;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Workspace;

/// <summary>
/// A stage handed the build engine's listing of a folder reads that listing instead of listing the folder again: what
/// it sees (and, for Verify, since when it trusts a file by its size and mtime) is what the listing saw.
/// </summary>
public class FolderFilesTests
{
    /// <summary>The folder as listed now, at <paramref name="listedAt"/>.</summary>
    private static FolderFiles ListingOf(string folder, long listedAt) =>
        new(folder, listedAt, FileListing.Of(folder, _ => true));

    [Fact]
    public void A_listing_covers_its_folder_and_the_folders_inside_it_and_filters_by_name()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "clips");
        Directory.CreateDirectory(Path.Combine(root, "a"));
        File.WriteAllText(Path.Combine(root, "a", "1.mp4"), "one");
        File.WriteAllText(Path.Combine(root, "2.mp4"), "two!");
        File.WriteAllText(Path.Combine(root, "2.mp4.part"), "half");
        var listing = ListingOf(root + "/", 1);

        Assert.True(listing.Covers(Path.Combine(root, "a")));
        Assert.False(listing.Covers(root + "-other"));
        Assert.Equal(["1.mp4"], FileListing.Of(Path.Combine(root, "a"), _ => true, listing).Select(f => Path.GetFileName(f.FullPath)));
        Assert.Equal(["2.mp4"], FileListing.Of(root, n => n.EndsWith(".mp4"), listing).Where(f => f.Length == 4).Select(f => Path.GetFileName(f.FullPath)));
        // A file written since the listing is not in it: the stage sees the folder as its fingerprint saw it.
        File.WriteAllText(Path.Combine(root, "3.mp4"), "three");
        Assert.Equal(3, FileListing.Of(root, _ => true, listing).Count);
        Assert.Equal(4, FileListing.Of(root, _ => true).Count);
        Assert.Equal(3, listing.Find(Path.Combine(root, "a", "1.mp4"))!.Length);
        Assert.Null(listing.Find(Path.Combine(root, "3.mp4")));
    }

    [Fact]
    public void An_extraction_record_counts_a_clip_missing_or_of_another_size_in_the_listing()
    {
        using var dir = new TempDir();
        var clips = Path.Combine(dir.Path, "clips");
        var target = Path.Combine(clips, "set");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "a.mp4"), "aaaa");
        File.WriteAllText(Path.Combine(target, "b.mp4"), "bb");
        var record = new ExtractionRecord(100, [new ExtractedFile("a.mp4", 4), new ExtractedFile("b.mp4", 3), new ExtractedFile("c.mp4", 1)], []);
        var listing = ListingOf(clips, 1);
        File.WriteAllText(Path.Combine(target, "c.mp4"), "c");

        // b has another size; c came after the listing, so the listing (as the stage's fingerprint) does not have it.
        Assert.Equal(2, record.CountMissing(target, listing));
        Assert.Equal(1, record.CountMissing(target, null));
        // A listing of another folder is no evidence: the files are stated.
        var elsewhere = Directory.CreateDirectory(Path.Combine(dir.Path, "elsewhere")).FullName;
        Assert.Equal(1, record.CountMissing(target, ListingOf(elsewhere, 1)));
    }

    [Fact]
    public async Task Verify_reads_the_listing_handed_in_and_trusts_files_only_as_of_when_it_was_taken()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        Directory.CreateDirectory(layout.Clips);
        for (var i = 0; i < 3; i++)
        {
            var path = Path.Combine(layout.Clips, $"{i}.mp4");
            await File.WriteAllTextAsync(path, new string((char)('a' + i), 100 + i));
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        }
        var listedAt = DateTime.UtcNow.AddMinutes(-5).Ticks;
        var listing = ListingOf(layout.Clips, listedAt);
        await File.WriteAllTextAsync(Path.Combine(layout.Clips, "3.mp4"), "late");

        var report = await Verifier.RunAsync(layout, new VerifyOptions { Jobs = 2, ClipsListed = listing }, NullProgress.Instance, default);

        Assert.Equal(3, report.Clips);
        Assert.DoesNotContain("3.mp4", await File.ReadAllTextAsync(layout.Manifest));
        Assert.Equal(listedAt, (await VerifyState.LoadAsync(layout, default)).VerifiedAtTicks);
        Assert.Equal(4, (await Verifier.RunAsync(layout, new VerifyOptions { Jobs = 2 }, NullProgress.Instance, default)).Clips);
    }

    [Fact]
    public async Task The_feature_cache_is_listed_from_the_listing_handed_in()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var first = new string('a', 64);
        var second = new string('b', 64);
        await FeatureCache.WriteAsync(layout, new ClipFeatures(first, ClipFeatures.CurrentSet, false, new SortedDictionary<string, double> { ["x"] = 1 }));
        var listing = ListingOf(layout.FeaturesDir, 1);
        await FeatureCache.WriteAsync(layout, new ClipFeatures(second, ClipFeatures.CurrentSet, false, new SortedDictionary<string, double> { ["x"] = 2 }));

        Assert.Equal([first], FeatureCache.List(layout, ClipFeatures.CurrentSet, false, listing).Keys);
        Assert.Equal([first, second], FeatureCache.List(layout, ClipFeatures.CurrentSet, false).Keys.Order());
        Assert.Empty(FeatureCache.List(layout, ClipFeatures.CurrentSet, true, listing));
    }
}
