using System.Text.Json.Nodes;
using Konvid.Core.Probe;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Probe;

public class ProberTests
{
    private static readonly ProbeOptions All = new(2, Shard.All);

    [Fact]
    public async Task Probe_fields_equal_a_direct_ffprobe_call_on_every_clip()
    {
        using var corpus = new MediaCorpus();
        await MediaClips.CopyToAsync(corpus);
        var manifest = await corpus.WriteManifestAsync();

        var report = await Prober.RunAsync(corpus.Layout, All, NullProgress.Instance, CancellationToken.None);

        Assert.Equal(MediaClips.Good.Count, report.Probed);
        Assert.Equal(0, report.Failed);
        // Both paths are under test here: the H.264 MP4s are read from their boxes, the rest by ffprobe.
        Assert.Equal(4, report.FastPath);
        var results = await ProbeStore.ReadAllAsync(corpus.Layout);
        foreach (var entry in manifest)
        {
            var got = results[entry.Sha256];
            var json = JsonNode.Parse(await Ffmpeg.ProbeJsonAsync(corpus.ClipPath(entry.ClipId)))!;
            var video = json["streams"]!.AsArray().First(s => (string?)s!["codec_type"] == "video")!;
            var format = json["format"]!;
            var expected = new ProbeResult(entry.ClipId, entry.Sha256, new FileInfo(corpus.ClipPath(entry.ClipId)).Length,
                Width: (int)video["width"]!, Height: (int)video["height"]!,
                Framerate: Rate((string?)video["avg_frame_rate"]) is > 0 and var avg ? avg : Rate((string?)video["r_frame_rate"]),
                DurationS: double.Parse((string?)video["duration"] ?? (string)format["duration"]!, System.Globalization.CultureInfo.InvariantCulture),
                PixFmt: (string)video["pix_fmt"]!, CodecName: (string)video["codec_name"]!,
                FrameCount: video["nb_frames"] is { } nb ? long.Parse((string)nb!) : null,
                BitRate: long.Parse((string?)video["bit_rate"] ?? (string)format["bit_rate"]!),
                Rotation: (int?)video["side_data_list"]?.AsArray().FirstOrDefault(d => d?["rotation"] is not null)?["rotation"]
                    ?? (video["tags"]?["rotate"] is { } r ? int.Parse((string)r!) : 0),
                ColorRange: (string?)video["color_range"], ColorTransfer: (string?)video["color_transfer"]);
            Assert.Equal(expected, got);
        }
        // The cases this test exists for really are in the set.
        var byName = results.Values.ToDictionary(r => r.Src);
        Assert.NotEqual(0, byName["rotated.mp4"].Rotation);
        Assert.Equal("yuv420p10le", byName["ten-bit.mp4"].PixFmt);
        Assert.Equal("vp9", byName["vp9.webm"].CodecName);
        Assert.Equal(161, byName["odd-161x91.mkv"].Width);
        Assert.Equal(30000.0 / 1001, byName["ntsc.mp4"].Framerate, 9);
        Assert.Equal("pc", byName["ntsc.mp4"].ColorRange);
    }

    [Fact]
    public async Task Bad_files_become_attrition_with_ffprobes_reason_while_good_clips_get_results()
    {
        using var corpus = new MediaCorpus();
        await MediaClips.CopyToAsync(corpus, "plain.mp4", "vp9.webm");
        corpus.AddBytes("zero.mp4", []);
        corpus.AddBytes("notes.mp4", "this is not a video\n"u8.ToArray());
        var whole = await File.ReadAllBytesAsync(await MediaClips.PathOf("plain.mp4"));
        // ffmpeg writes moov after the media data unless asked for faststart: the first half has no moov.
        corpus.AddBytes("truncated.mp4", whole[..(whole.Length / 2)]);
        await Ffmpeg.RunAsync("-f", "lavfi", "-i", "sine=frequency=440:duration=0.5", "-c:a", "aac", corpus.ClipPath("audio-only.m4a"));
        await corpus.WriteManifestAsync();

        var report = await Prober.RunAsync(corpus.Layout, All, NullProgress.Instance, CancellationToken.None);

        Assert.Equal(6, report.Probed);
        Assert.Equal(4, report.Failed);
        var results = (await ProbeStore.ReadAllAsync(corpus.Layout)).Values.ToDictionary(r => r.Src);
        Assert.True(results["plain.mp4"].Ok && results["vp9.webm"].Ok);
        var attrition = (await AttritionLedger.ReadAllAsync(corpus.Layout)).ToDictionary(e => e.Id);
        Assert.Equal(["audio-only.m4a", "notes.mp4", "truncated.mp4", "zero.mp4"], attrition.Keys.Order(StringComparer.Ordinal));
        Assert.All(attrition.Values, e => Assert.Equal(Stage.Probe, e.Stage));
        Assert.Contains("moov atom not found", attrition["truncated.mp4"].Reason);
        Assert.Contains("Invalid data found when processing input", attrition["zero.mp4"].Reason);
        Assert.Contains("Invalid data found when processing input", attrition["notes.mp4"].Reason);
        Assert.Contains("no video stream", attrition["audio-only.m4a"].Reason);
        // One line, naming the clip rather than the absolute path, and free of per-run pointer values.
        Assert.All(attrition.Values, e => Assert.DoesNotContain("\n", e.Reason));
        Assert.DoesNotContain(corpus.Layout.Root, attrition["zero.mp4"].Reason);
        Assert.DoesNotContain("@ 0x", attrition["truncated.mp4"].Reason);
    }

    [Fact]
    public async Task The_summary_line_says_how_many_clips_needed_ffprobe()
    {
        using var corpus = new MediaCorpus();
        await MediaClips.CopyToAsync(corpus, "plain.mp4", "vp9.webm", "ntsc.mp4");
        corpus.AddBytes("plain-with-tail.mp4", [.. await File.ReadAllBytesAsync(await MediaClips.PathOf("plain.mp4")), .. "tail"u8.ToArray(), .. new byte[100]]);
        await corpus.WriteManifestAsync();
        var progress = new AcquisitionProgressRecorder();

        var report = await Prober.RunAsync(corpus.Layout, All, progress, CancellationToken.None);

        Assert.Equal((4, 3, 1), (report.Probed, report.FastPath, report.Ffprobe));
        var summary = Assert.Single(progress.Infos, l => l.StartsWith("Probe:", StringComparison.Ordinal));
        Assert.Contains("4 probed: 3 from MP4 boxes, 1 needed ffprobe", summary);

        var again = new AcquisitionProgressRecorder();
        await Prober.RunAsync(corpus.Layout, All, again, CancellationToken.None);
        Assert.Contains("0 probed: 0 from MP4 boxes, 0 needed ffprobe; 4 up to date", Assert.Single(again.Infos));
    }

    [Fact]
    public async Task A_rerun_probes_only_new_clips()
    {
        using var corpus = new MediaCorpus();
        await MediaClips.CopyToAsync(corpus, "plain.mp4", "vp9.webm");
        corpus.AddBytes("zero.mp4", []);
        await corpus.WriteManifestAsync();
        await Prober.RunAsync(corpus.Layout, All, NullProgress.Instance, CancellationToken.None);
        var before = await File.ReadAllBytesAsync(corpus.Layout.ProbeJsonl);

        var again = await Prober.RunAsync(corpus.Layout, All, NullProgress.Instance, CancellationToken.None);
        Assert.Equal((0, 3, 1), (again.Probed, again.UpToDate, again.Failed));
        Assert.Equal(before, await File.ReadAllBytesAsync(corpus.Layout.ProbeJsonl));

        await MediaClips.CopyToAsync(corpus, "ntsc.mp4");
        await corpus.WriteManifestAsync();
        var grown = await Prober.RunAsync(corpus.Layout, All, NullProgress.Instance, CancellationToken.None);
        Assert.Equal((1, 3), (grown.Probed, grown.UpToDate));
        Assert.Equal(4, (await ProbeStore.ReadAllAsync(corpus.Layout)).Count);
    }

    [Fact]
    public async Task Three_shards_run_one_after_another_give_the_unsharded_results_and_write_only_their_own_clips()
    {
        using var whole = new MediaCorpus();
        using var sharded = new MediaCorpus();
        foreach (var corpus in new[] { whole, sharded })
        {
            await MediaClips.CopyToAsync(corpus);
            corpus.AddBytes("zero.mp4", []);
            await corpus.WriteManifestAsync();
        }
        var ids = MediaClips.Good.Append("zero.mp4").ToList();
        Assert.All(Enumerable.Range(0, 3), i => Assert.Contains(ids, id => new Shard(i, 3).Contains(id)));

        await Prober.RunAsync(whole.Layout, All, NullProgress.Instance, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            var shard = new Shard(i, 3);
            var report = await Prober.RunAsync(sharded.Layout, new ProbeOptions(2, shard), NullProgress.Instance, CancellationToken.None);
            var own = ids.Count(shard.Contains);
            Assert.Equal(own, report.Probed);
            var lines = await File.ReadAllLinesAsync(ProbeStore.PathFor(sharded.Layout, shard));
            Assert.Equal(own, lines.Length);
            Assert.All(lines, l => Assert.True(shard.Contains((string)JsonNode.Parse(l)!["src"]!), $"shard {shard} wrote {l}"));
        }

        var expected = await ProbeStore.ReadAllAsync(whole.Layout);
        var union = await ProbeStore.ReadAllAsync(sharded.Layout);
        Assert.Equal(expected.OrderBy(p => p.Key).ToList(), union.OrderBy(p => p.Key).ToList());
        Assert.False(File.Exists(sharded.Layout.ProbeJsonl));
        Assert.Equal(await AttritionLedger.ReadAllAsync(whole.Layout), await AttritionLedger.ReadAllAsync(sharded.Layout));
    }

    private static double Rate(string? text) =>
        text?.Split('/') is [var n, var d] && double.Parse(d) != 0 ? double.Parse(n) / double.Parse(d) : 0;
}
