using System.Security.Cryptography;
using System.Text.Json;
using Konvid.Core.Download;
using Konvid.Core.Workspace;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Core.Tests.Download;

/// <summary>Archives without a published checksum are held to their first download: a re-download that differs is reported, not mixed in.</summary>
public class ArchiveDigestTests
{
    [Fact]
    public async Task The_first_download_records_size_and_sha256_and_a_differing_re_download_is_reported_and_not_extracted()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var first = Zip(("v/a.mp4", Body(4000, 1), RegularFile), ("v/b.mp4", Body(5000, 2), RegularFile));
        server.Serve("videos.zip", first);
        var catalog = Catalog(Archive("videos.zip", server.Url("videos.zip").ToString()));
        var archive = Path.Combine(layout.Downloads, "videos.zip");

        await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);

        using (var recorded = JsonDocument.Parse(await File.ReadAllTextAsync(archive + ".digest.json")))
        {
            Assert.Equal(first.Length, recorded.RootElement.GetProperty("size").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first)), recorded.RootElement.GetProperty("sha256").GetString());
        }

        // The server's copy changes; the archive is gone (deleted to save disk) and a clip goes missing.
        var changed = Zip(("v/a.mp4", Body(4000, 7), RegularFile), ("v/b.mp4", Body(5000, 8), RegularFile));
        server.Serve("videos.zip", changed);
        File.Delete(archive);
        File.Delete(Path.Combine(layout.Clips, "v", "a.mp4"));

        var e = await Assert.ThrowsAsync<KonvidException>(() => Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None));
        Assert.DoesNotContain('\n', e.Problem);
        Assert.Contains("videos.zip", e.Problem);
        Assert.Contains($"first {first.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(first))}", e.Problem);
        Assert.Contains($"now {changed.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(changed))}", e.Problem);
        Assert.Contains("--mirror", e.Hint);
        // Nothing of the new copy is mixed in: the missing clip stays missing, the other clip is the first copy's.
        Assert.False(File.Exists(Path.Combine(layout.Clips, "v", "a.mp4")));
        Assert.Equal(Body(5000, 2), await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "v", "b.mp4")));
        Assert.False(File.Exists(archive));
        Assert.Equal(changed, await File.ReadAllBytesAsync(archive + ".differs"));

        // The next run reports the same without fetching (or hashing) 176 GB again.
        server.ClearLog();
        var again = await Assert.ThrowsAsync<KonvidException>(() => Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None));
        Assert.Equal(e.Problem, again.Problem);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_re_download_equal_to_the_first_restores_the_missing_clip()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        server.Serve("videos.zip", Zip(("v/a.mp4", Body(4000, 1), RegularFile), ("v/b.mp4", Body(5000, 2), RegularFile)));
        var catalog = Catalog(Archive("videos.zip", server.Url("videos.zip").ToString()));
        var archive = Path.Combine(layout.Downloads, "videos.zip");
        await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        var recorded = await File.ReadAllTextAsync(archive + ".digest.json");

        File.Delete(archive);
        File.Delete(Path.Combine(layout.Clips, "v", "a.mp4"));
        var report = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);

        Assert.Equal(1, report.EntriesExtracted);
        Assert.Equal(Body(4000, 1), await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "v", "a.mp4")));
        Assert.Equal(recorded, await File.ReadAllTextAsync(archive + ".digest.json"));
        Assert.False(File.Exists(archive + ".differs"));
    }
}
