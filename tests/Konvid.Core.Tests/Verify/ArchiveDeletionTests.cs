using System.Security.Cryptography;
using Konvid.Core.Download;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Core.Tests.Verify;

/// <summary>The disk budget: Verify deletes an archive once its clips are extracted and verified; Download stays up to date without it.</summary>
public class ArchiveDeletionTests
{
    private static readonly VerifyOptions Options = new() { Jobs = 2 };

    private static (string Name, byte[] Content, int Mode)[] Clips(int count) =>
        Enumerable.Range(0, count).Select(i => ($"KoNViD_1k_videos/{i}.mp4", Body(3000 + 11 * i, i), RegularFile)).ToArray();

    [Fact]
    public async Task An_archive_deleted_after_verification_is_not_fetched_again_until_a_clip_it_held_disappears()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var clips = Clips(4);
        server.Serve("videos.zip", Zip(clips));
        server.Serve("meta.zip", Zip(("KoNViD_1k_metadata/attributes.csv", Csv("flickr_id,mos", "0,3.1"), RegularFile)));
        var catalog = Catalog(
            Archive("videos.zip", server.Url("videos.zip").ToString()),
            Archive("meta.zip", server.Url("meta.zip").ToString(), unpackTo: "metadata"));
        var archive = Path.Combine(layout.Downloads, "videos.zip");

        await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        Assert.True(File.Exists(archive));
        var verified = await Verifier.RunAsync(layout, Options, NullProgress.Instance, CancellationToken.None);

        Assert.False(File.Exists(archive));
        Assert.Equal(["videos.zip"], verified.ArchivesDeleted);
        Assert.Equal(server.BytesSent("videos.zip"), verified.BytesFreed);
        // Only archives that unpack into clips/ are Verify's to judge: the metadata archive stays.
        Assert.True(File.Exists(Path.Combine(layout.Downloads, "meta.zip")));

        server.ClearLog();
        var again = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        Assert.Empty(server.Requests);
        Assert.Equal(5, again.Present);
        Assert.Equal(0, again.EntriesExtracted);

        // A clip that disappears (deleted, or quarantined by Verify) brings the archive back, and only that clip is written.
        var lost = Path.Combine(layout.Clips, "KoNViD_1k_videos", "2.mp4");
        var kept = Path.Combine(layout.Clips, "KoNViD_1k_videos", "1.mp4");
        var keptWritten = File.GetLastWriteTimeUtc(kept);
        File.Delete(lost);
        var restored = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        Assert.Equal(["/videos.zip"], server.Requests.Select(r => r.Path));
        Assert.Equal(1, restored.EntriesExtracted);
        Assert.Equal(clips[2].Content, await File.ReadAllBytesAsync(lost));
        Assert.Equal(keptWritten, File.GetLastWriteTimeUtc(kept));

        var second = await Verifier.RunAsync(layout, Options, NullProgress.Instance, CancellationToken.None);
        Assert.Equal(["videos.zip"], second.ArchivesDeleted);
        Assert.Equal(0, second.Quarantined);
        Assert.False(File.Exists(archive));
    }

    [Fact]
    public async Task Keep_archives_keeps_them_and_an_archive_with_an_unverified_clip_is_kept()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var clips = Clips(3);
        server.Serve("videos.zip", Zip(clips));
        var catalog = Catalog(Archive("videos.zip", server.Url("videos.zip").ToString()));
        var archive = Path.Combine(layout.Downloads, "videos.zip");
        // A published manifest that one clip does not match: that clip is quarantined, so the archive must stay.
        var manifest = string.Concat(clips.Select((c, i) =>
            $"{(i == 1 ? new string('0', 64) : Convert.ToHexStringLower(SHA256.HashData(c.Content)))}  clips/{c.Name}\n"));
        Directory.CreateDirectory(layout.Root);
        await File.WriteAllTextAsync(layout.Manifest, manifest);
        await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);

        var keep = await Verifier.RunAsync(layout, Options with { KeepArchives = true }, NullProgress.Instance, CancellationToken.None);
        Assert.Empty(keep.ArchivesDeleted);
        Assert.True(File.Exists(archive));

        var report = await Verifier.RunAsync(layout, Options, NullProgress.Instance, CancellationToken.None);
        Assert.Empty(report.ArchivesDeleted);
        Assert.True(File.Exists(archive));
    }
}
