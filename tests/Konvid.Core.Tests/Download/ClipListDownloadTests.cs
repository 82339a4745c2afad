using System.Text.Json;
using Konvid.Core.Download;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Core.Tests.Download;

public class ClipListDownloadTests
{
    [Fact]
    public async Task Clips_answering_404_are_recorded_permanent_and_asked_again_only_with_retry_failed()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var missing = new HashSet<int> { 3, 17, 29, 41, 55, 68, 80, 99 };
        // Header spelled with aliases and odd case: the sniffing must find them.
        var lines = new List<string> { "File_Name,Download_URL,MOS" };
        for (var i = 0; i < 100; i++)
        {
            var name = $"clip{i:000}.mp4";
            lines.Add($"{name},{server.Url("v/" + name)},3.1");
            if (!missing.Contains(i)) server.Serve("v/" + name, Body(1500 + i, i));
        }
        server.Serve("manifest.csv", Csv([.. lines]));
        var catalog = Catalog(ClipList("manifest.csv", server.Url("manifest.csv").ToString()));

        var progress = new AcquisitionProgressRecorder();
        var first = await Downloader.RunAsync(layout, catalog, Quick(jobs: 8, stallSeconds: 5), progress, CancellationToken.None);

        Assert.Equal(100, first.Items);
        Assert.Equal(92, first.Present);
        Assert.Equal(8, first.FailedPermanent);
        Assert.Equal(0, first.FailedTransient);
        Assert.Equal(8.0, first.AttritionPercent, 6);
        Assert.Equal(92, Directory.GetFiles(layout.Clips).Length);
        Assert.Equal(Body(1500 + 42, 42), await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "clip042.mp4")));
        var lost = (await AttritionLedger.ReadAllAsync(layout)).Where(e => e.Stage == Stage.Download).ToList();
        Assert.Equal(missing.Select(i => $"clip{i:000}.mp4").Order(), lost.Select(e => e.Id));
        Assert.All(lost, e => Assert.Contains("HTTP 404", e.Reason));
        using (var state = JsonDocument.Parse(await File.ReadAllTextAsync(layout.DownloadProgress)))
        {
            var clip = state.RootElement.GetProperty("clips").GetProperty("clip003.mp4");
            Assert.Equal("failed", clip.GetProperty("status").GetString());
            Assert.True(clip.GetProperty("permanent").GetBoolean());
            Assert.Equal(1, clip.GetProperty("attempts").GetInt32());
            Assert.Equal("done", state.RootElement.GetProperty("clips").GetProperty("clip004.mp4").GetProperty("status").GetString());
        }

        // Bytes are reported per chunk against totals learnt from Content-Length; 8 % stays under the default 10 % warning.
        var clipsBar = Assert.Single(progress.Bars, b => b.Name.Contains("100 clips"));
        Assert.Equal("bytes", clipsBar.Unit);
        Assert.Equal(Enumerable.Range(0, 100).Where(i => !missing.Contains(i)).Sum(i => 1500L + i), clipsBar.Done);
        Assert.Equal(clipsBar.Done, clipsBar.Total);
        Assert.Empty(progress.Warnings);

        server.ClearLog();
        var strict = new AcquisitionProgressRecorder();
        var second = await Downloader.RunAsync(layout, catalog, Quick(jobs: 8, stallSeconds: 5) with { AttritionWarnPercent = 5 }, strict, CancellationToken.None);
        Assert.Contains("8 of 100 items lost (8 %)", Assert.Single(strict.Warnings));
        Assert.Empty(server.Requests);
        Assert.Equal(8, second.FailedPermanent);
        Assert.Equal(93, second.Skipped); // 92 clips and the list itself, none asked for

        var retried = await Downloader.RunAsync(layout, catalog, Quick(jobs: 8, stallSeconds: 5) with { RetryFailed = true }, NullProgress.Instance, CancellationToken.None);
        Assert.Equal(missing.Select(i => $"/v/clip{i:000}.mp4").Order(), server.Requests.Select(r => r.Path).Order());
        Assert.Equal(8, retried.FailedPermanent);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_is_recorded_transient_and_retried_next_run()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        server.Serve("a.mp4", Body(2000, 1));
        server.Serve("b.mp4", Body(3000, 2), Fault.Stall);
        // Relative URLs resolve against the list's own location.
        server.Serve("list.csv", Csv("file_name,url", "a.mp4,a.mp4", "b.mp4,b.mp4"));
        var catalog = Catalog(ClipList("list.csv", server.Url("list.csv").ToString()));
        var options = Quick(stallSeconds: 5) with { StallTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 2 };

        var first = await Downloader.RunAsync(layout, catalog, options, NullProgress.Instance, CancellationToken.None);

        Assert.Equal(1, first.FailedTransient);
        Assert.Equal(0, first.FailedPermanent);
        Assert.Equal(2, server.RequestsFor("b.mp4").Count);
        Assert.False(File.Exists(Path.Combine(layout.Clips, "b.mp4")));
        var entry = Assert.Single(await AttritionLedger.ReadAllAsync(layout));
        Assert.Equal("b.mp4", entry.Id);
        Assert.Contains("no response", entry.Reason);
        using (var state = JsonDocument.Parse(await File.ReadAllTextAsync(layout.DownloadProgress)))
            Assert.False(state.RootElement.GetProperty("clips").GetProperty("b.mp4").GetProperty("permanent").GetBoolean());

        server.Answer("b.mp4", Fault.None);
        server.ClearLog();
        var second = await Downloader.RunAsync(layout, catalog, options, NullProgress.Instance, CancellationToken.None);

        Assert.Equal(["/b.mp4"], server.Requests.Select(r => r.Path));
        Assert.Equal(2, second.Present);
        Assert.Equal(Body(3000, 2), await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "b.mp4")));
        Assert.Empty(await AttritionLedger.ReadAllAsync(layout));
    }

    [Fact]
    public async Task A_cancelled_download_resumes_without_refetching_finished_clips_and_never_takes_a_part_for_a_clip()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var big = Body(1 << 21, 99);
        var lines = new List<string> { "file_name,url" };
        for (var i = 0; i < 6; i++)
        {
            server.Serve($"s{i}.mp4", Body(4000, i));
            lines.Add($"s{i}.mp4,s{i}.mp4");
        }
        lines.Add("big.mp4,big.mp4");
        server.Serve("big.mp4", big, Fault.Throttle(16 * 1024, TimeSpan.FromMilliseconds(20)));
        server.Serve("list.csv", Csv([.. lines]));
        var catalog = Catalog(ClipList("list.csv", server.Url("list.csv").ToString()));

        using var cts = new CancellationTokenSource();
        var run = Downloader.RunAsync(layout, catalog, Quick(jobs: 3, stallSeconds: 5), NullProgress.Instance, cts.Token);
        // "Kill" once the small clips are done and the big one is well under way.
        while (server.BytesSent("big.mp4") < big.Length / 4 || Directory.GetFiles(layout.Clips).Length < 6)
        {
            Assert.False(run.IsCompleted, "the download finished before it could be interrupted");
            await Task.Delay(10);
        }
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.False(File.Exists(Path.Combine(layout.Clips, "big.mp4")));
        var part = new FileInfo(Path.Combine(layout.Downloads, "clips", "big.mp4.part"));
        Assert.True(part.Exists && part.Length > 0 && part.Length < big.Length);
        var verify = await Konvid.Core.Verify.Verifier.RunAsync(layout, new Konvid.Core.Verify.VerifyOptions(), NullProgress.Instance, CancellationToken.None);
        Assert.Equal(6, verify.Clips); // the partial transfer is nowhere Verify would take it for a clip

        server.Answer("big.mp4", Fault.None);
        server.ClearLog();
        var second = await Downloader.RunAsync(layout, catalog, Quick(jobs: 3, stallSeconds: 5), NullProgress.Instance, CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/big.mp4", request.Path);
        Assert.Equal($"bytes={part.Length}-", request.Range);
        Assert.Equal(big.Length - part.Length, second.BytesFetched);
        Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "big.mp4")));
        Assert.Empty(Directory.GetFiles(layout.Downloads, "*.part", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Rows_with_unsafe_names_or_unusable_urls_are_refused_as_attrition_without_a_request()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir["work"], "c");
        server.Serve("ok.mp4", Body(1000, 1));
        server.Serve("list.csv", Csv(
            "\uFEFFVideo_Name,Video_URL,mos",
            "ok.mp4,ok.mp4,3",
            "ok.mp4,ok.mp4,3",
            "../evil.mp4,ok.mp4,3",
            "ftp.mp4,ftp://elsewhere.example/ftp.mp4,3",
            ",\"ok.mp4\",3"));
        var catalog = Catalog(ClipList("list.csv", server.Url("list.csv").ToString()));

        var report = await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);

        Assert.Equal(["/list.csv", "/ok.mp4"], server.Requests.Select(r => r.Path));
        Assert.Equal(["ok.mp4"], Directory.GetFiles(layout.Clips).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(dir.Path, "evil.mp4", SearchOption.AllDirectories));
        Assert.Equal(2, report.FailedPermanent);
        var lost = (await AttritionLedger.ReadAllAsync(layout)).ToDictionary(e => e.Id, e => e.Reason);
        Assert.Contains("unusable file name", lost["../evil.mp4"]);
        Assert.Contains("unsupported URL scheme 'ftp'", lost["ftp.mp4"]);
    }
}
