using System.Security.Cryptography;
using Konvid.Core.Download;
using Konvid.Core.Workspace;
using Konvid.Reliability.Tests.Support;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Reliability.Tests.Faults;

public class LargeResumeTests
{
    [Fact]
    public async Task A_2_GiB_file_cut_three_times_resumes_to_the_exact_bytes_without_refetching()
    {
        const long size = 2L << 30; // past int.MaxValue, so 32-bit offsets anywhere would show
        await using var server = await FaultServer.StartAsync();
        using var dir = Scratch.InMemory();
        var layout = new CorpusLayout(dir.Path, "c");
        var body = ServedBody.Formula(size, seed: 0x5EED);
        server.Serve("KoNViD_150k_videos.zip", body, Fault.None,
            Fault.ResetAfter(700L << 20), Fault.ResetAfter(600L << 20), Fault.ResetAfter(500L << 20));
        var catalog = Catalog(FileSource("KoNViD_150k_videos.zip", server.Url("KoNViD_150k_videos.zip").ToString()));

        var report = await Downloader.RunAsync(layout, catalog, Quick(attempts: 5) with { StallTimeout = TimeSpan.FromSeconds(10) }, NullProgress.Instance, CancellationToken.None);

        var file = Path.Combine(layout.Downloads, "KoNViD_150k_videos.zip");
        var requests = server.RequestsFor("KoNViD_150k_videos.zip");
        var log = string.Join(", ", requests.Select(r => $"{r.Status} {r.Range}"));
        Assert.Equal(size, new FileInfo(file).Length);
        var expected = Task.Run(body.Sha256);
        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            Assert.Equal(await expected, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
        File.Delete(file);
        // One fresh request, then three resumes, each further along than the one before (bytes in flight at a cut may be lost).
        Assert.True(requests.Count == 4, log);
        Assert.Null(requests[0].Range);
        var starts = requests.Skip(1).Select(r => r.Range is { } range ? long.Parse(range["bytes=".Length..^1]) : -1).ToList();
        Assert.True(starts.All(s => s > 0) && starts.Zip(starts.Skip(1)).All(p => p.First < p.Second), log);
        Assert.True(requests.Skip(1).All(r => r.Status == 206), log);
        // Each cut costs at most what was in flight, never a restart from byte 0.
        Assert.True(server.BytesSent("KoNViD_150k_videos.zip") < size + (512L << 20), $"server sent {server.BytesSent("KoNViD_150k_videos.zip")} bytes; {log}");
        Assert.Equal(0, report.Lost);
        Assert.False(File.Exists(file + ".part"));
    }

    [Fact]
    public void A_computed_body_gives_the_same_bytes_whatever_the_offset_and_length_of_the_read()
    {
        var body = ServedBody.Formula(1000, seed: 3);
        var whole = new byte[1000];
        body.Fill(0, whole);
        foreach (var (offset, length) in new[] { (0, 1000), (1, 7), (3, 20), (8, 16), (13, 987), (999, 1) })
        {
            var part = new byte[length];
            body.Fill(offset, part);
            Assert.Equal(whole.AsSpan(offset, length).ToArray(), part);
        }
        Assert.NotEqual(whole.AsSpan(0, 8).ToArray(), whole.AsSpan(8, 8).ToArray());
    }
}
