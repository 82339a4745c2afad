using System.Globalization;
using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Corpora;
using Konvid.Core.Features;
using Konvid.Core.Jsonl;
using Konvid.Core.Probe;
using Konvid.Core.Tests.Support;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;
using Konvid.Testing;
using Xunit.Abstractions;

namespace Konvid.Core.Tests.Features;

/// <summary>
/// Phase1's stages after Download (Verify, Probe, Features, Jsonl) over clips made with ffmpeg in the containers users
/// bring (mp4, webm, mkv, ts, mov), in limited and full range, one rotated, one with a corrupted middle and one that is no
/// video: every clip is a row or exactly one attrition entry with the right reason, and each full-range clip has the
/// features of its own pictures stored in limited range.
/// </summary>
public sealed class MixedClipsPipelineTests(ITestOutputHelper output)
{
    private const string Scene = "testsrc2=size=160x96:rate=25,noise=alls=12:allf=t";

    [Fact]
    public async Task Every_clip_in_any_container_is_a_row_or_one_attrition_entry_and_full_range_features_equal_limited_ones()
    {
        using var corpus = new MediaCorpus();
        string Clip(string name) => corpus.ClipPath(name);
        var x264 = new[] { "-c:v", "libx264", "-threads", "1", "-pix_fmt", "yuv420p" };
        await corpus.AddLavfiAsync("limited.mp4", Scene, 1, x264);
        await corpus.AddLavfiAsync("vp9.webm", "mandelbrot=size=160x96:rate=25", 1, "-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p");
        await corpus.AddLavfiAsync("broadcast.ts", "smptebars=size=160x96:rate=25", 1, x264);
        await corpus.AddLavfiAsync("unlabelled.mkv", "testsrc=size=160x96:rate=25", 1, x264);
        // Portrait as phones record it: landscape frames and a display matrix.
        await Ffmpeg.RunAsync("-i", Clip("limited.mp4"), "-c", "copy", "-metadata:s:v:0", "rotate=90", Clip("portrait.mov"));
        // Full range as phones (H.264 yuvj420p), cameras (MJPEG) and RGB codecs write it; beside each, its own pictures in
        // limited range (the full-range clip's decode through swscale, stored losslessly), in another container.
        (string Full, string Limited)[] pairs = [("phone.mp4", "phone-limited.ts"), ("camera.mov", "camera-limited.mkv"), ("rgb.mkv", "rgb-limited.webm")];
        await corpus.AddLavfiAsync("phone.mp4", Scene, 1, "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuvj420p");
        await corpus.AddLavfiAsync("camera.mov", Scene, 1, "-c:v", "mjpeg", "-q:v", "1", "-pix_fmt", "yuvj422p");
        await corpus.AddLavfiAsync("rgb.mkv", Scene, 1, "-c:v", "ffv1", "-pix_fmt", "gbrp");
        await Ffmpeg.RunAsync("-i", Clip("phone.mp4"), "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv420p", Clip("phone-limited.ts"));
        await Ffmpeg.RunAsync("-i", Clip("camera.mov"), "-c:v", "ffv1", "-pix_fmt", "yuv420p", Clip("camera-limited.mkv"));
        await Ffmpeg.RunAsync("-i", Clip("rgb.mkv"), "-c:v", "libvpx-vp9", "-lossless", "1", "-pix_fmt", "yuv420p", Clip("rgb-limited.webm"));
        // A corrupted middle: 400 bytes a third into the media data (moov is at the end).
        var corrupt = await corpus.AddLavfiAsync("damaged.mp4", "testsrc2=size=320x240:rate=25", 2, [.. x264, "-g", "25"]);
        var bytes = await File.ReadAllBytesAsync(corrupt);
        var mdat = bytes.AsSpan().IndexOf("mdat"u8);
        for (var i = mdat + (bytes.Length - mdat) / 3; i < mdat + (bytes.Length - mdat) / 3 + 400; i++) bytes[i] ^= 0x5A;
        await File.WriteAllBytesAsync(corrupt, bytes);
        corpus.AddBytes("notes.mkv", "minutes of the meeting, not a video\n"u8.ToArray());
        Assert.NotEmpty((await Cli.Wrap("ffmpeg").WithArguments(["-nostdin", "-v", "error", "-i", corrupt, "-f", "null", "-"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync()).StandardError.Trim());

        // Labels by id, the file name without its container (as KoNViD's flickr ids are written), one per clip but
        // unlabelled.mkv, and one for a clip that is not there.
        var clips = Directory.GetFiles(corpus.Layout.Clips).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var scores = new StringBuilder("video_name,video_score\n");
        foreach (var (name, i) in clips.Where(c => c != "unlabelled.mkv").Select(Path.GetFileNameWithoutExtension).Append("missing").Select((c, i) => (c!, i)))
            scores.Append(name).Append(',').Append((1.5 + 0.25 * i).ToString(CultureInfo.InvariantCulture)).Append('\n');
        Directory.CreateDirectory(corpus.Layout.Metadata);
        await File.WriteAllTextAsync(Path.Combine(corpus.Layout.Metadata, "scores.csv"), scores.ToString());
        var catalog = CorpusFixture.CatalogOf(new ScoreFile("metadata/scores.csv", "k150k-a", null));

        await Verifier.RunAsync(corpus.Layout, new VerifyOptions { Jobs = 2 }, NullProgress.Instance, CancellationToken.None);
        await Prober.RunAsync(corpus.Layout, new ProbeOptions(2, Shard.All), NullProgress.Instance, CancellationToken.None);
        await FeatureExtractor.RunAsync(corpus.Layout, new FeatureOptions(2, Shard.All), NullProgress.Instance, CancellationToken.None);
        var report = await CorpusWriter.RunAsync(corpus.Layout, catalog,
            new JsonlOptions(Deep: false, IngestedAt: CorpusFixture.Noon), NullProgress.Instance, CancellationToken.None);

        var rows = File.ReadAllLines(corpus.Layout.CorpusJsonl).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.GetProperty("src").GetString()!);
        var lost = await AttritionLedger.ReadAllAsync(corpus.Layout);
        foreach (var e in lost) output.WriteLine($"{e.Id} -> {e.Stage}: {e.Reason}");
        string[] expectedRows =
        [
            "broadcast.ts", "camera-limited.mkv", "camera.mov", "limited.mp4", "phone-limited.ts", "phone.mp4", "portrait.mov",
            "rgb-limited.webm", "rgb.mkv", "vp9.webm",
        ];
        Assert.Equal(expectedRows, rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            [("damaged.mp4", Stage.Features, "corrupt"), ("missing", Stage.Jsonl, "no clip"), ("notes.mkv", Stage.Probe, "ffprobe"), ("unlabelled.mkv", Stage.Jsonl, "no label")],
            lost.Select(e => (e.Id, e.Stage, Kind(e.Reason))).Order());
        Assert.Equal(rows.Count, report.RowsWritten);
        // The loss rate counts each lost clip or label once: 4 of 14.
        Assert.Equal(4, report.Lost);
        Assert.Equal(100.0 * 4 / 14, report.AttritionPercent, 9);
        // Each clip once: as a row or as one loss, never both.
        Assert.Equal(clips.Count, rows.Count + lost.Count(e => clips.Contains(e.Id)));
        Assert.Empty(rows.Keys.Intersect(lost.Select(e => e.Id)));

        var portrait = rows["portrait.mov"];
        Assert.Equal((160, 96), (portrait.GetProperty("width").GetInt32(), portrait.GetProperty("height").GetInt32()));
        Assert.Equal(90, Math.Abs(portrait.GetProperty("rotation").GetInt32()));
        Assert.Equal((96, 160), (portrait.GetProperty("display_width").GetInt32(), portrait.GetProperty("display_height").GetInt32()));
        Assert.Equal(0, rows["limited.mp4"].GetProperty("rotation").GetInt32());

        foreach (var (full, limited) in pairs)
        {
            var f = rows[full].GetProperty("features");
            var l = rows[limited].GetProperty("features");
            var off = l.EnumerateObject().Where(p => p.Name != "bits_per_pixel")
                .Where(p => !ColourRangeTests.Close(p.Name, p.Value.GetDouble(), f.GetProperty(p.Name).GetDouble()))
                .Select(p => $"{full} {p.Name}: {f.GetProperty(p.Name).GetDouble()} vs {limited} {p.Value.GetDouble()}").ToList();
            Assert.True(off.Count == 0, string.Join("\n", off));
        }
    }

    private static string Kind(string reason) =>
        reason.StartsWith("corrupt:", StringComparison.Ordinal) ? "corrupt"
        : reason.StartsWith("ffprobe:", StringComparison.Ordinal) ? "ffprobe"
        : reason.Contains("no clip", StringComparison.Ordinal) ? "no clip"
        : reason.Contains("no label", StringComparison.Ordinal) ? "no label"
        : reason;
}
