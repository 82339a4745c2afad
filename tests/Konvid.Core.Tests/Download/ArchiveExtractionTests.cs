using Konvid.Core.Download;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Core.Tests.Download;

public class ArchiveExtractionTests
{
    [Fact]
    public async Task Entries_that_would_escape_the_target_are_refused_recorded_and_the_rest_extracts()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir["work"], "c");
        var absolute = Path.Combine(Path.GetTempPath(), $"konvid-abs-{Guid.NewGuid():N}.mp4");
        var zip = Zip(
            ("KoNViD_1k_videos/1.mp4", Body(3000, 1), RegularFile),
            ("KoNViD_1k_videos/2.mp4", Body(4000, 2), RegularFile),
            ("../escape.mp4", Body(100, 3), RegularFile),
            ("KoNViD_1k_videos/../../../escape2.mp4", Body(100, 4), RegularFile),
            (absolute, Body(100, 5), RegularFile),
            ("KoNViD_1k_videos/link.mp4", "/etc/passwd"u8.ToArray(), Symlink),
            ("KoNViD_1k_videos/bomb.mp4", new byte[4 << 20], RegularFile));
        server.Serve("KoNViD_1k_videos.zip", zip);
        var catalog = Catalog(Archive("KoNViD_1k_videos.zip", server.Url("KoNViD_1k_videos.zip").ToString()));

        var report = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);

        Assert.Equal(Body(3000, 1), await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "KoNViD_1k_videos", "1.mp4")));
        Assert.Equal(Body(4000, 2), await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "KoNViD_1k_videos", "2.mp4")));
        Assert.Equal(["1.mp4", "2.mp4"], Directory.GetFiles(Path.Combine(layout.Clips, "KoNViD_1k_videos")).Select(Path.GetFileName).Order());
        // Nothing anywhere under the test folder (or at the absolute path) but the two clips and Download's own files.
        Assert.False(File.Exists(absolute));
        Assert.Empty(Directory.GetFiles(dir.Path, "escape*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dir.Path)!, "escape2.mp4")));
        Assert.Equal(5, report.EntriesRefused);
        Assert.Equal(7, report.Items);
        var refused = (await AttritionLedger.ReadAllAsync(layout)).ToDictionary(e => e.Id, e => e.Reason);
        Assert.Contains("'..'", refused["../escape.mp4"]);
        Assert.Contains("'..'", refused["KoNViD_1k_videos/../../../escape2.mp4"]);
        Assert.Contains("absolute path", refused[absolute]);
        Assert.Contains("symbolic link", refused["KoNViD_1k_videos/link.mp4"]);
        Assert.Contains("zip bomb", refused["KoNViD_1k_videos/bomb.mp4"]);
    }

    [Fact]
    public async Task A_complete_extraction_is_skipped_and_only_missing_entries_are_restored_from_the_archive()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var entries = Enumerable.Range(0, 5).Select(i => ($"v/{i}.mp4", Body(2000 + i, i), RegularFile)).ToArray();
        server.Serve("videos.zip", Zip(entries));
        server.Serve("meta.zip", Zip(("KoNViD_1k_metadata/KoNViD_1k_attributes.csv", Csv("flickr_id,mos", "1,3.2"), RegularFile)));
        var catalog = Catalog(
            Archive("videos.zip", server.Url("videos.zip").ToString()),
            Archive("meta.zip", server.Url("meta.zip").ToString(), unpackTo: "metadata"));

        var first = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        Assert.Equal(6, first.EntriesExtracted);
        Assert.True(File.Exists(Path.Combine(layout.Metadata, "KoNViD_1k_metadata", "KoNViD_1k_attributes.csv")));

        server.ClearLog();
        var second = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        Assert.Equal(0, second.EntriesExtracted);
        Assert.Equal(6, second.Present);
        Assert.Empty(server.Requests);

        // As after Verify quarantined a clip: it comes back from the archive already on disk, without a request.
        File.Delete(Path.Combine(layout.Clips, "v", "3.mp4"));
        var third = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        Assert.Equal(1, third.EntriesExtracted);
        Assert.Empty(server.Requests);
        Assert.Equal(Body(2003, 3), await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "v", "3.mp4")));

        // With the archive deleted to save space, a missing entry means fetching the archive again.
        File.Delete(Path.Combine(layout.Downloads, "videos.zip"));
        File.Delete(Path.Combine(layout.Clips, "v", "0.mp4"));
        var fourth = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        Assert.Equal(["/videos.zip"], server.Requests.Select(r => r.Path));
        Assert.Equal(1, fourth.EntriesExtracted);
        Assert.Equal(Body(2000, 0), await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "v", "0.mp4")));
    }

    [Fact]
    public async Task A_truncated_zip_is_a_one_line_error_and_is_fetched_again_on_the_next_run()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var zip = Zip(("a.mp4", Body(5000, 1), RegularFile), ("b.mp4", Body(5000, 2), RegularFile));
        server.Serve("videos.zip", zip[..(zip.Length / 2)]);
        var catalog = Catalog(Archive("videos.zip", server.Url("videos.zip").ToString()));

        var e = await Assert.ThrowsAsync<KonvidException>(() => Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None));
        Assert.Contains("videos.zip is truncated or corrupt", e.Problem);
        Assert.DoesNotContain('\n', e.Problem);
        Assert.Contains("re-run Download", e.Hint);
        Assert.False(File.Exists(Path.Combine(layout.Downloads, "videos.zip")));

        server.Serve("videos.zip", zip);
        var report = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        Assert.Equal(2, report.Present);
        Assert.Equal(Body(5000, 2), await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "b.mp4")));
    }
}
