using Konvid.Core.Download;
using Konvid.Core.Workspace;
using Konvid.Reliability.Tests.Support;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Reliability.Tests.Resources;

public class DiskFullDownloadTests
{
    [TmpfsFact]
    public async Task A_full_disk_stops_Download_with_a_one_line_error_leaves_no_final_file_and_a_rerun_with_space_completes()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new Scratch();
        using var disk = Tmpfs.Mount(dir["work"], "size=2m");
        var layout = new CorpusLayout(disk.Path, "c");
        var small = Body(100_000, 1);
        var big = Body(5_000_000, 2);
        server.Serve("scores.csv", small);
        server.Serve("videos.bin", big);
        var catalog = Catalog(FileSource("scores.csv", server.Url("scores.csv").ToString()), FileSource("videos.bin", server.Url("videos.bin").ToString()));

        var error = await Assert.ThrowsAsync<KonvidException>(() => Downloader.RunAsync(layout, catalog, Quick(), NullProgress.Instance, CancellationToken.None));

        Assert.Contains("videos.bin", error.Problem);
        Assert.Contains("No space left on device", error.Problem);
        Assert.DoesNotContain('\n', error.Problem + error.Hint);
        Assert.False(File.Exists(Path.Combine(layout.Downloads, "videos.bin")));
        Assert.Equal(small, await File.ReadAllBytesAsync(Path.Combine(layout.Downloads, "scores.csv")));

        disk.Remount("size=32m");
        var report = await Downloader.RunAsync(layout, catalog, Quick(), NullProgress.Instance, CancellationToken.None);

        Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(layout.Downloads, "videos.bin")));
        Assert.Equal(0, report.Lost);
        // The bytes that fitted before the disk filled were kept and not asked for again.
        Assert.StartsWith("bytes=", server.RequestsFor("videos.bin")[^1].Range);
        Assert.DoesNotContain(Directory.EnumerateFiles(layout.Root, "*", SearchOption.AllDirectories), f => f.EndsWith(".part") || AtomicFile.IsTemp(f));
    }

    [TmpfsFact]
    public async Task A_read_only_work_dir_is_a_one_line_error_before_any_request()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new Scratch();
        using var disk = Tmpfs.Mount(dir["work"], "size=1m,ro");
        var layout = new CorpusLayout(disk.Path, "c");
        server.Serve("scores.csv", Body(1000, 1));

        var error = await Assert.ThrowsAsync<KonvidException>(() => Downloader.RunAsync(layout,
            Catalog(FileSource("scores.csv", server.Url("scores.csv").ToString())), Quick(), NullProgress.Instance, CancellationToken.None));

        Assert.Contains(layout.Root, error.Problem + error.Hint);
        Assert.DoesNotContain('\n', error.Problem + error.Hint);
        Assert.Empty(server.RequestsFor("scores.csv"));
    }
}
