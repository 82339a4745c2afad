using System.Security.Cryptography;
using Konvid.Core.Download;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Core.Tests.Download;

public class TransferTests
{
    [Fact]
    public async Task Resumes_a_dropped_transfer_without_refetching_completed_bytes()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var body = Body(1_000_000, 7);
        server.Serve("scores.csv", body, Fault.None, Fault.ResetAfter(500_000));

        var report = await Downloader.RunAsync(layout, Catalog(FileSource("scores.csv", server.Url("scores.csv").ToString())), Quick(stallSeconds: 5),
            NullProgress.Instance, CancellationToken.None);

        Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(layout.Downloads, "scores.csv")));
        var requests = server.RequestsFor("scores.csv");
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.StartsWith("bytes=", requests[1].Range);
        Assert.NotEqual("bytes=0-", requests[1].Range);
        Assert.True(server.BytesSent("scores.csv") < 1.5 * body.Length, $"server sent {server.BytesSent("scores.csv")} bytes");
        Assert.True(report.BytesFetched < 1.5 * body.Length, $"client fetched {report.BytesFetched} bytes");
        Assert.False(File.Exists(Path.Combine(layout.Downloads, "scores.csv.part")));
    }

    [Theory]
    [InlineData("ignores Range")]
    [InlineData("answers a wrong Content-Range")]
    public async Task Restarts_cleanly_when_a_server_cannot_resume(string how)
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var body = Body(300_000, 8);
        var afterDrop = how == "ignores Range" ? Fault.IgnoreRange : Fault.WrongContentRange;
        server.Serve("a.zip.csv", body, Fault.None, Fault.ResetAfter(100_000), afterDrop);

        await Downloader.RunAsync(layout, Catalog(FileSource("a.zip.csv", server.Url("a.zip.csv").ToString())), Quick(stallSeconds: 5),
            NullProgress.Instance, CancellationToken.None);

        // Appending a whole body to the kept prefix would give 400 kB of garbage; a clean restart gives the file.
        Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(layout.Downloads, "a.zip.csv")));
        // A 200 carries the whole file and is taken as it comes; a 206 at the wrong offset is dropped and asked for afresh.
        Assert.Equal(how == "ignores Range" ? ["fresh", "resume"] : new[] { "fresh", "resume", "fresh" },
            server.Requests.Select(r => r.Range is null ? "fresh" : "resume"));
    }

    [Fact]
    public async Task Waits_as_told_by_Retry_After_on_503_then_succeeds()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var body = Body(10_000, 9);
        server.Serve("s.csv", body, Fault.None, Fault.Status(503, retryAfterSeconds: 1));

        var report = await Downloader.RunAsync(layout, Catalog(FileSource("s.csv", server.Url("s.csv").ToString(), saveAs: "metadata/s.csv")), Quick(stallSeconds: 5),
            NullProgress.Instance, CancellationToken.None);

        Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(layout.Metadata, "s.csv")));
        Assert.Equal([503, 200], server.Requests.Select(r => r.Status));
        // The backoff alone would retry after ~10 ms; Retry-After asked for a second.
        Assert.True(server.Requests[1].At - server.Requests[0].At >= TimeSpan.FromMilliseconds(900));
        Assert.Equal(0, report.Lost);
    }

    [Fact]
    public async Task A_required_source_answering_404_is_a_one_line_error_naming_the_catalog_entry()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var catalog = Catalog(Archive("KoNViD_1k_videos.zip", server.Url("KoNViD_1k_videos.zip").ToString()));

        var e = await Assert.ThrowsAsync<KonvidException>(() =>
            Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None));

        Assert.Contains("KoNViD_1k_videos.zip: HTTP 404", e.Problem);
        Assert.DoesNotContain('\n', e.Problem);
        Assert.Contains("corpora/test.yaml:sources[0]", e.Hint);
        Assert.Equal("KoNViD_1k_videos.zip", Assert.Single(await AttritionLedger.ReadAllAsync(layout)).Id);
    }

    [Fact]
    public async Task A_source_whose_bytes_differ_from_the_catalog_sha256_is_not_kept()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var body = Body(5000, 10);
        server.Serve("good.csv", body);
        server.Serve("bad.csv", body);
        var goodSha = Convert.ToHexStringLower(SHA256.HashData(body));
        var catalog = Catalog(
            FileSource("good.csv", server.Url("good.csv").ToString(), sha256: goodSha.ToUpperInvariant()),
            FileSource("bad.csv", server.Url("bad.csv").ToString(), sha256: new string('0', 64), optional: true));

        var report = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5) with { MaxAttempts = 2 }, NullProgress.Instance, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(layout.Downloads, "good.csv")));
        Assert.False(File.Exists(Path.Combine(layout.Downloads, "bad.csv")));
        Assert.Empty(Directory.GetFiles(layout.Downloads, "*.part"));
        Assert.Equal(1, report.OptionalMissing);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_file_mirror_resolves_relative_catalog_urls_and_replaces_absolute_ones(bool asFileUri)
    {
        using var dir = new TempDir();
        var origin = Directory.CreateDirectory(dir["origin"]).FullName;
        await File.WriteAllBytesAsync(Path.Combine(origin, "a.csv"), Body(700, 1));
        await File.WriteAllBytesAsync(Path.Combine(origin, "b.csv"), Body(800, 2));
        var layout = new CorpusLayout(dir["work"], "c");
        var catalog = Catalog(FileSource("a.csv", "a.csv"), FileSource("b.csv", "https://datasets.example/archives/b.csv"));

        var report = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5) with { Mirror = asFileUri ? new Uri(origin).AbsoluteUri : origin },
            NullProgress.Instance, CancellationToken.None);

        Assert.Equal(Body(700, 1), await File.ReadAllBytesAsync(Path.Combine(layout.Downloads, "a.csv")));
        Assert.Equal(Body(800, 2), await File.ReadAllBytesAsync(Path.Combine(layout.Downloads, "b.csv")));
        Assert.Equal(1500, report.BytesFetched);
    }

    [Theory]
    [InlineData("ftp://mirror.example/a.csv", null, "unsupported URL scheme 'ftp'")]
    [InlineData("a.csv", "ftp://mirror.example/", "unsupported URL scheme 'ftp'")]
    [InlineData("a.csv", null, "is relative and no mirror was given")]
    public async Task Unusable_locations_fail_before_any_transfer_with_one_line(string url, string? mirror, string expected)
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");

        var e = await Assert.ThrowsAsync<KonvidException>(() => Downloader.RunAsync(layout, Catalog(FileSource("a.csv", url)),
            Quick(stallSeconds: 5) with { Mirror = mirror }, NullProgress.Instance, CancellationToken.None));

        Assert.Contains(expected, e.Problem);
        Assert.DoesNotContain('\n', e.Problem);
        Assert.False(Directory.Exists(layout.Root));
    }
}
