using Konvid.Core.Corpora;
using Konvid.Core.Download;
using Konvid.Core.Workspace;
using Konvid.Reliability.Tests.Support;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Reliability.Tests.Hostile;

/// <summary>Archives, clip lists and catalogs built to write outside the work dir: each is refused with its reason, every good item kept.</summary>
public class HostileDownloadInputTests
{
    [Fact]
    public async Task Archive_entries_that_escape_link_or_bomb_are_refused_with_their_reason_and_every_plain_clip_is_kept()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new Scratch();
        var layout = new CorpusLayout(dir["work"], "c");
        var outside = Path.Combine(dir.Path, "outside-" + Guid.NewGuid().ToString("N")[..8] + ".mp4");
        var good = Body(50_000, 1);
        var zip = Zip(
            ("KoNViD_1k_videos/1001.mp4", good, RegularFile),
            ("KoNViD_1k_videos/2002 with space.mp4", good, RegularFile),
            ("KoNViD_1k_videos/-y.mp4", good, RegularFile),
            ("../evil-slip.mp4", good, RegularFile),
            ("KoNViD_1k_videos/../../../evil-deep.mp4", good, RegularFile),
            ("..\\evil-backslash.mp4", good, RegularFile),
            (outside, good, RegularFile),
            ("C:/evil-drive.mp4", good, RegularFile),
            ("KoNViD_1k_videos/link.mp4", "/etc/passwd"u8.ToArray(), Symlink),
            ("KoNViD_1k_videos/fifo.mp4", [], Fifo),
            ("KoNViD_1k_videos/device.mp4", [], CharDevice),
            ("KoNViD_1k_videos/bomb.mp4", new byte[64 << 20], RegularFile));
        server.Serve("KoNViD_1k_videos.zip", zip);

        var report = await Downloader.RunAsync(layout, Catalog(Archive("KoNViD_1k_videos.zip", server.Url("KoNViD_1k_videos.zip").ToString())),
            Quick(), NullProgress.Instance, CancellationToken.None);

        Assert.Equal(["-y.mp4", "1001.mp4", "2002 with space.mp4"],
            Directory.EnumerateFiles(Path.Combine(layout.Clips, "KoNViD_1k_videos")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        foreach (var name in new[] { "1001.mp4", "2002 with space.mp4", "-y.mp4" })
            Assert.Equal(good, await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "KoNViD_1k_videos", name)));
        // Nothing anywhere outside clips/ (and nothing in it beyond the plain files), not even the absolute path.
        Assert.False(File.Exists(outside));
        Assert.DoesNotContain(dir.Files(), f => f.Contains("evil") || f.StartsWith("outside"));
        Assert.Equal(3, Directory.EnumerateFileSystemEntries(layout.Clips, "*", SearchOption.AllDirectories).Count(File.Exists));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(layout.Root, "*", SearchOption.AllDirectories), p => new FileInfo(p).LinkTarget is not null);

        var reasons = (await AttritionLedger.ReadAllAsync(layout)).ToDictionary(e => e.Id, e => e.Reason);
        Assert.Contains("'..'", reasons["../evil-slip.mp4"]);
        Assert.Contains("'..'", reasons["KoNViD_1k_videos/../../../evil-deep.mp4"]);
        Assert.Contains("'..'", reasons["..\\evil-backslash.mp4"]);
        Assert.Contains("absolute path", reasons.Single(r => r.Key.Contains("outside-")).Value);
        Assert.Contains("absolute path", reasons["C:/evil-drive.mp4"]);
        Assert.Contains("symbolic link", reasons["KoNViD_1k_videos/link.mp4"]);
        Assert.Contains("not a regular file", reasons["KoNViD_1k_videos/fifo.mp4"]);
        Assert.Contains("not a regular file", reasons["KoNViD_1k_videos/device.mp4"]);
        Assert.Contains("zip bomb", reasons["KoNViD_1k_videos/bomb.mp4"]);
        Assert.Equal(9, report.EntriesRefused);
        Assert.Equal(3, report.Present);
        Assert.Equal(12, report.Items);
    }

    [Fact]
    public async Task A_truncated_archive_is_a_one_line_error_is_deleted_and_the_next_run_fetches_and_extracts_it_whole()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new Scratch();
        var layout = new CorpusLayout(dir.Path, "c");
        var clips = Enumerable.Range(0, 4).Select(i => ($"v/{i}.mp4", Body(40_000, i), RegularFile)).ToArray();
        var zip = Zip(clips);
        server.Serve("videos.zip", zip[..(zip.Length * 2 / 3)]);
        var catalog = Catalog(Archive("videos.zip", server.Url("videos.zip").ToString()));

        var error = await Assert.ThrowsAsync<KonvidException>(() => Downloader.RunAsync(layout, catalog, Quick(), NullProgress.Instance, CancellationToken.None));

        Assert.Contains("videos.zip is truncated or corrupt", error.Problem);
        Assert.DoesNotContain('\n', error.Problem + error.Hint);
        Assert.False(File.Exists(Path.Combine(layout.Downloads, "videos.zip")));
        Assert.Empty(Directory.Exists(layout.Clips) ? Directory.EnumerateFiles(layout.Clips, "*", SearchOption.AllDirectories) : []);
        Assert.Equal(("failed", false), (RecordedSources(layout)["videos.zip"].Status, RecordedSources(layout)["videos.zip"].Permanent));

        server.Serve("videos.zip", zip);
        var report = await Downloader.RunAsync(layout, catalog, Quick(), NullProgress.Instance, CancellationToken.None);

        foreach (var (name, content, _) in clips)
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(layout.Clips, name)));
        Assert.Equal((4, 0), (report.Present, report.Lost));
    }

    [Fact]
    public async Task Clip_names_with_spaces_quotes_unicode_and_leading_dashes_arrive_under_their_exact_names_and_path_tricks_are_refused()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new Scratch();
        var layout = new CorpusLayout(dir["work"], "c");
        string[] plain = ["a b.mp4", "it's \"quoted\".mp4", "ünïcødé 映像.mp4", "-y.mp4", "-i evil.mp4", "--help.mp4", "semi;colon $(touch x).mp4"];
        string[] tricks = ["../up.mp4", ".hidden.mp4", "sub/dir.mp4", "..\\win.mp4"];
        var bodies = plain.Select((n, i) => (n, Body(20_000, i))).ToDictionary(p => p.n, p => p.Item2);
        foreach (var (name, body) in bodies) server.Serve(name, body);
        foreach (var name in tricks) server.Serve(name, Body(10, 0));
        server.Serve("list.csv", ClipListCsv(plain.Concat(tricks).Select(n => (n, server.Url(n)))));

        var report = await Downloader.RunAsync(layout, Catalog(ClipList("list.csv", server.Url("list.csv").ToString())),
            Quick(), NullProgress.Instance, CancellationToken.None);

        foreach (var (name, body) in bodies)
            Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(layout.Clips, name)));
        Assert.Equal(plain.Order(StringComparer.Ordinal), Directory.EnumerateFiles(layout.Clips).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["attrition.csv", "list.csv"], dir.Files().Where(f => !f.StartsWith("work/c/clips/") && !f.StartsWith("work/c/.")).Select(Path.GetFileName));
        var attrition = await AttritionLedger.ReadAllAsync(layout);
        Assert.Equal(tricks.Length, attrition.Count);
        Assert.All(attrition, e => Assert.Contains("unusable file name", e.Reason));
        Assert.All(tricks.Where(t => t != "..\\win.mp4"), t => Assert.Contains(attrition, e => e.Id == t));
        Assert.Equal(0, server.RequestsFor("../up.mp4").Count + server.RequestsFor(".hidden.mp4").Count + server.RequestsFor("sub/dir.mp4").Count);
        Assert.Equal(tricks.Length, report.FailedPermanent);
    }

    [Theory]
    [InlineData("archive", "../../escaped")]
    [InlineData("archive", "/tmp/escaped-abs")]
    [InlineData("file", "../scores.csv")]
    [InlineData("file", "/etc/konvid-escaped.csv")]
    public async Task A_catalog_path_that_escapes_the_corpus_folder_is_refused_before_any_byte_is_written(string kind, string path)
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new Scratch();
        var layout = new CorpusLayout(dir["work"], "c");
        server.Serve("x.zip", Zip(("a.mp4", Body(1000, 1), RegularFile)));
        var source = kind == "archive"
            ? Archive("x.zip", server.Url("x.zip").ToString(), unpackTo: path)
            : FileSource("x.zip", server.Url("x.zip").ToString(), saveAs: path);

        var error = await Assert.ThrowsAsync<KonvidException>(() =>
            Downloader.RunAsync(layout, Catalog(source), Quick(), NullProgress.Instance, CancellationToken.None));

        Assert.Contains("escapes the corpus folder", error.Problem);
        Assert.DoesNotContain('\n', error.Problem + error.Hint);
        Assert.DoesNotContain(dir.Files(), f => !f.StartsWith("work/c/"));
        Assert.False(File.Exists("/etc/konvid-escaped.csv"));
        Assert.False(Directory.Exists("/tmp/escaped-abs"));

        // The catalog loader refuses the same path in corpora/*.yaml, naming the key.
        var key = kind == "archive" ? "unpack_to" : "save_as";
        var yaml = $"""
            name: evil
            version: "1"
            licence: research
            sources:
              - name: x.zip
                url: http://127.0.0.1/x.zip
                kind: {kind}
                {key}: {path}
            scores: []
            labels: {"{"}min: 1, max: 10{"}"}
            gate: {"{"}plcc_min: 0, srocc_min: 0, rmse_max: 1, plcc_spread_max: 1{"}"}
            """;
        var loader = Assert.Throws<KonvidException>(() => CatalogLoader.Parse(yaml, "corpora/evil.yaml"));
        Assert.Contains($"sources[0].{key}", loader.Problem);
    }
}
