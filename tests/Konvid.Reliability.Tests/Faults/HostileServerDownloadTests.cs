using System.Security.Cryptography;
using Konvid.Core.Download;
using Konvid.Core.Workspace;
using Konvid.Reliability.Tests.Support;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Reliability.Tests.Faults;

/// <summary>
/// Download against a server that misbehaves in every way we know of. The promise: every source ends either complete
/// and byte-correct, or recorded (progress file and attrition) with the right permanence, and nothing is lost that a
/// re-run could have fetched.
/// </summary>
public class HostileServerDownloadTests
{
    private enum Expect { Complete, Permanent, Transient }

    private sealed record Script(string Name, Expect After1stRun, Fault Standing, params Fault[] Once);

    private const int Size = 300_000;

    private static readonly Script[] Scripts =
    [
        new("plain.mp4", Expect.Complete, Fault.None),
        new("gone-404.mp4", Expect.Permanent, Fault.Status(404)),
        new("gone-410.mp4", Expect.Permanent, Fault.Status(410)),
        new("busy-429.mp4", Expect.Complete, Fault.None, Fault.Status(429, retryAfterSeconds: 1)),
        new("burst-5xx.mp4", Expect.Complete, Fault.None, Fault.Status(500), Fault.Status(503), Fault.Status(500)),
        new("down-503.mp4", Expect.Transient, Fault.Status(503)),
        new("throttled-429.mp4", Expect.Transient, Fault.Status(429, retryAfterSeconds: 0)),
        new("reset-twice.mp4", Expect.Complete, Fault.None, Fault.ResetAfter(70_000), Fault.ResetAfter(90_000)),
        new("stall-silent.mp4", Expect.Complete, Fault.None, Fault.Stall),
        new("stall-midway.mp4", Expect.Complete, Fault.None, Fault.StallAfter(120_000)),
        new("length-too-long.mp4", Expect.Complete, Fault.None, Fault.WrongContentLength(+4_096)),
        new("range-ignored.mp4", Expect.Complete, Fault.None, Fault.ResetAfter(100_000), Fault.IgnoreRange),
        new("range-misanswered.mp4", Expect.Complete, Fault.None, Fault.ResetAfter(100_000), Fault.WrongContentRange),
        new("moved.mp4", Expect.Complete, Fault.None, Fault.Redirect("elsewhere/moved.mp4")),
        new("loop.mp4", Expect.Permanent, Fault.Redirect("loop.mp4")),
        new("ping.mp4", Expect.Permanent, Fault.Redirect("pong.mp4")),
    ];

    [Fact]
    public async Task Every_clip_ends_complete_and_correct_or_recorded_with_its_permanence_and_reruns_recover_the_rest()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new Scratch();
        var layout = new CorpusLayout(dir.Path, "c");
        var bodies = Scripts.Select((s, i) => (s.Name, Body: Body(Size, 100 + i))).ToDictionary(b => b.Name, b => b.Body);
        foreach (var s in Scripts) server.Serve(s.Name, bodies[s.Name], s.Standing, s.Once);
        server.Serve("elsewhere/moved.mp4", bodies["moved.mp4"]);
        server.Serve("pong.mp4", Body(10, 1), Fault.Redirect("ping.mp4"));
        server.Serve("list.csv", ClipListCsv(Scripts.Select(s => (s.Name, server.Url(s.Name)))));
        var catalog = Catalog(ClipList("list.csv", server.Url("list.csv").ToString()));

        var first = await Downloader.RunAsync(layout, catalog, Quick(), NullProgress.Instance, CancellationToken.None);

        var recorded = RecordedClips(layout);
        var attrition = await AttritionLedger.ReadAllAsync(layout);
        foreach (var s in Scripts)
        {
            var clip = Path.Combine(layout.Clips, s.Name);
            switch (s.After1stRun)
            {
                case Expect.Complete:
                    Assert.True(File.Exists(clip), $"{s.Name} should be complete; recorded: {recorded.GetValueOrDefault(s.Name)}");
                    var got = await File.ReadAllBytesAsync(clip);
                    Assert.True(bodies[s.Name].SequenceEqual(got), $"{s.Name} differs from what the server holds");
                    Assert.Equal("done", recorded[s.Name].Status);
                    Assert.DoesNotContain(attrition, e => e.Id == s.Name);
                    break;
                default:
                    var permanent = s.After1stRun == Expect.Permanent;
                    Assert.False(File.Exists(clip), $"{s.Name} must not appear");
                    Assert.Equal(("failed", permanent), (recorded[s.Name].Status, recorded[s.Name].Permanent));
                    var entry = Assert.Single(attrition, e => e.Id == s.Name);
                    Assert.Equal(Stage.Download, entry.Stage);
                    Assert.EndsWith(permanent ? "(permanent)" : "(transient; re-run Download)", entry.Reason);
                    break;
            }
        }
        // Transient failures used every attempt; permanent ones gave up at once (a redirect loop is one attempt of many hops).
        Assert.Equal(4, recorded["down-503.mp4"].Attempts);
        Assert.Equal(4, server.RequestsFor("down-503.mp4").Count);
        Assert.Equal(1, recorded["gone-404.mp4"].Attempts);
        Assert.Contains("HTTP 404", recorded["gone-404.mp4"].Reason);
        Assert.Contains("HTTP 302", recorded["loop.mp4"].Reason);
        Assert.Equal(1, recorded["loop.mp4"].Attempts);
        // A stalled transfer keeps what arrived and resumes from there (after a reset the bytes in flight may be lost
        // with the connection, so only the total is bounded there).
        Assert.Contains(server.RequestsFor("stall-midway.mp4"), r => r.Range is not null && r.Range != "bytes=0-");
        foreach (var name in new[] { "reset-twice.mp4", "stall-midway.mp4", "length-too-long.mp4" })
            Assert.True(server.BytesSent(name) < 2 * Size, $"{name}: server sent {server.BytesSent(name)} bytes for a {Size}-byte file");
        Assert.Equal(4, first.FailedPermanent);
        Assert.Equal(2, first.FailedTransient);
        Assert.Empty(Directory.EnumerateFiles(layout.Clips, "*.part", SearchOption.AllDirectories));

        // The outages end. A re-run asks again for transient failures only; permanent ones stay recorded, unasked.
        foreach (var s in Scripts.Where(s => s.After1stRun == Expect.Transient)) server.Answer(s.Name, Fault.None);
        server.Answer("gone-404.mp4", Fault.None);
        var asked404 = server.RequestsFor("gone-404.mp4").Count;
        var second = await Downloader.RunAsync(layout, catalog, Quick(), NullProgress.Instance, CancellationToken.None);

        Assert.Equal(asked404, server.RequestsFor("gone-404.mp4").Count);
        foreach (var s in Scripts.Where(s => s.After1stRun == Expect.Transient))
            Assert.Equal(bodies[s.Name], await File.ReadAllBytesAsync(Path.Combine(layout.Clips, s.Name)));
        Assert.Equal((4, 0), (second.FailedPermanent, second.FailedTransient));

        // --retry-failed asks the permanent ones again: the healed 404 arrives, the loops stay lost and recorded.
        var third = await Downloader.RunAsync(layout, catalog, Quick(retryFailed: true), NullProgress.Instance, CancellationToken.None);

        Assert.Equal(bodies["gone-404.mp4"], await File.ReadAllBytesAsync(Path.Combine(layout.Clips, "gone-404.mp4")));
        Assert.Equal((3, 0), (third.FailedPermanent, third.FailedTransient));
        var finalAttrition = await AttritionLedger.ReadAllAsync(layout);
        Assert.Equal(["gone-410.mp4", "loop.mp4", "ping.mp4"], finalAttrition.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(third.Present + third.Lost, third.Items);
    }

    [Fact]
    public async Task A_body_shorter_than_its_Content_Length_promised_is_caught_by_the_catalog_digest_and_fetched_again()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new Scratch();
        var layout = new CorpusLayout(dir.Path, "c");
        var body = Body(200_000, 5);
        server.Serve("scores.csv", body, Fault.None, Fault.WrongContentLength(-50_000));
        var sha = Convert.ToHexStringLower(SHA256.HashData(body));

        var report = await Downloader.RunAsync(layout, Catalog(FileSource("scores.csv", server.Url("scores.csv").ToString(), sha256: sha)),
            Quick(), NullProgress.Instance, CancellationToken.None);

        Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(layout.Downloads, "scores.csv")));
        Assert.Equal(2, server.RequestsFor("scores.csv").Count);
        Assert.Equal(0, report.Lost);
    }

    [Fact]
    public async Task A_required_source_behind_a_dead_server_is_a_transient_one_line_error_and_a_later_run_resumes_it()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new Scratch();
        var layout = new CorpusLayout(dir.Path, "c");
        var body = Body(500_000, 6);
        // Half the file arrives, then the server only answers 503 for the rest of the run.
        server.Serve("videos.bin", body, Fault.Status(503), Fault.ResetAfter(250_000));
        var catalog = Catalog(FileSource("videos.bin", server.Url("videos.bin").ToString()));

        var error = await Assert.ThrowsAsync<KonvidException>(() =>
            Downloader.RunAsync(layout, catalog, Quick(), NullProgress.Instance, CancellationToken.None));

        Assert.Contains("videos.bin", error.Problem);
        Assert.DoesNotContain('\n', error.Problem + error.Hint);
        Assert.Contains("re-run Download", error.Hint);
        Assert.False(RecordedSources(layout)["videos.bin"].Permanent);
        Assert.False(File.Exists(Path.Combine(layout.Downloads, "videos.bin")));
        // What arrived before the reset is kept (bytes still in flight when the connection was cut may be lost with it).
        var part = new FileInfo(Path.Combine(layout.Downloads, "videos.bin.part"));
        var kept = part.Exists ? part.Length : 0;
        Assert.InRange(kept, 0, 250_000);
        Assert.Equal(body.AsSpan(0, (int)kept).ToArray(), kept > 0 ? await File.ReadAllBytesAsync(part.FullName) : []);

        server.Answer("videos.bin", Fault.None);
        await Downloader.RunAsync(layout, catalog, Quick(), NullProgress.Instance, CancellationToken.None);

        Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(layout.Downloads, "videos.bin")));
        Assert.Equal(kept > 0 ? $"bytes={kept}-" : null, server.RequestsFor("videos.bin")[^1].Range);
    }
}
