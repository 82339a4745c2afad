using Konvid.Core.Probe;
using Konvid.Core.Tests.Support;
using Konvid.Testing;

namespace Konvid.Core.Tests.Probe;

public class Mp4BoxReaderTests
{
    [Fact]
    public async Task Fast_path_fields_equal_ffprobes_on_every_test_clip_and_it_declines_what_it_does_not_understand()
    {
        using var dir = new TempDir();
        var clips = new List<string>();
        foreach (var name in MediaClips.Good) clips.Add(await MediaClips.PathOf(name));
        var plain = await MediaClips.PathOf("plain.mp4");
        foreach (var degrees in new[] { 180, 270 })
        {
            await Ffmpeg.RunAsync("-i", plain, "-c", "copy", "-metadata:s:v:0", $"rotate={degrees}", dir[$"rot{degrees}.mp4"]);
            clips.Add(dir[$"rot{degrees}.mp4"]);
        }
        clips.Add(await Ffmpeg.MakeClipAsync(dir["vfr.mp4"], "testsrc2=size=160x90:rate=25,select='not(eq(mod(n\\,3)\\,0))'", 1,
            "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p"));
        clips.Add(await Ffmpeg.MakeClipAsync(dir["bt709-tv.mp4"], "smptehdbars=size=192x108:rate=50", 0.5,
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-color_range", "tv", "-color_trc", "bt709", "-color_primaries", "bt709", "-colorspace", "bt709"));
        clips.Add(await Ffmpeg.MakeClipAsync(dir["baseline-faststart.mp4"], "testsrc=size=176x144:rate=12", 1,
            "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-movflags", "+faststart"));
        clips.Add(await Ffmpeg.MakeClipAsync(dir["with-audio.mp4"], "testsrc2=size=160x90:rate=25", 1,
            "-f", "lavfi", "-i", "sine=duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"));
        clips.Add(await Ffmpeg.MakeClipAsync(dir["cropped-170x98.mp4"], "testsrc2=size=170x98:rate=30", 1, "-c:v", "libx264", "-pix_fmt", "yuv420p"));

        var answered = new List<string>();
        foreach (var clip in clips)
        {
            var name = Path.GetFileName(clip);
            var size = new FileInfo(clip).Length;
            var fast = await Mp4BoxReader.TryReadAsync(clip, name, "sha", CancellationToken.None);
            if (fast is null) continue;
            answered.Add(name);
            Assert.Equal(await FfprobeReader.ProbeAsync(clip, name, "sha", size, CancellationToken.None), fast);
        }

        // Declined: 10-bit, VP9/WebM, Matroska, and bt709-tv.mp4, whose colr box may override the SPS's colour description.
        Assert.Equal(
            ["plain.mp4", "rotated.mp4", "ntsc.mp4", "-lead 'q\" ünï.mp4", "rot180.mp4", "rot270.mp4", "vfr.mp4",
             "baseline-faststart.mp4", "with-audio.mp4", "cropped-170x98.mp4"], answered);
    }

    [Fact]
    public async Task Bytes_after_the_last_box_still_give_ffprobes_fields_from_the_boxes()
    {
        using var dir = new TempDir();
        // moov last (ffmpeg's default) and mdat last (faststart): junk follows either box.
        var moovLast = await File.ReadAllBytesAsync(await MediaClips.PathOf("plain.mp4"));
        var mdatLast = await File.ReadAllBytesAsync(await Ffmpeg.MakeClipAsync(dir["faststart.mp4"], "testsrc=size=176x144:rate=12", 2,
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart"));
        var random = new byte[3000];
        new Random(7).NextBytes(random);
        var tails = new Dictionary<string, byte[]>
        {
            ["text"] = "JUNKJUNK trailing garbage after the last box\n"u8.ToArray(),
            ["zeros"] = new byte[4096],
            ["random"] = random,
            ["short"] = [1, 2, 3, 4, 5, 6, 7],
            ["huge-size"] = [0x7F, 0xFF, 0xFF, 0xFF, (byte)'f', (byte)'r', (byte)'e', (byte)'e', 0, 0],
        };
        var cases = new Dictionary<string, byte[]>();
        foreach (var (tail, bytes) in tails)
        {
            cases[$"moov-last+{tail}.mp4"] = [.. moovLast, .. bytes];
            cases[$"mdat-last+{tail}.mp4"] = [.. mdatLast, .. bytes];
        }
        // A faststart file cut inside mdat: moov is whole, so its fields are what ffprobe reads from it (Features finds the cut).
        cases["mdat-cut.mp4"] = mdatLast[..(mdatLast.Length * 6 / 10)];

        foreach (var (name, bytes) in cases)
        {
            await File.WriteAllBytesAsync(dir[name], bytes);
            var fast = await Mp4BoxReader.TryReadAsync(dir[name], name, "sha", CancellationToken.None);
            Assert.True(fast is not null, $"{name} was left to ffprobe");
            Assert.Equal(await FfprobeReader.ProbeAsync(dir[name], name, "sha", bytes.Length, CancellationToken.None), fast);
        }
    }

    [Fact]
    public async Task Files_that_are_not_plain_h264_mp4_are_left_to_ffprobe()
    {
        using var dir = new TempDir();
        var whole = await File.ReadAllBytesAsync(await MediaClips.PathOf("plain.mp4"));
        var cases = new Dictionary<string, byte[]>
        {
            ["zero.mp4"] = [],
            ["text.mp4"] = "not a video"u8.ToArray(),
            ["truncated.mp4"] = whole[..(whole.Length / 2)],
            ["ten-bit.mp4"] = await File.ReadAllBytesAsync(await MediaClips.PathOf("ten-bit.mp4")),
            ["vp9.webm"] = await File.ReadAllBytesAsync(await MediaClips.PathOf("vp9.webm")),
        };
        foreach (var (name, bytes) in cases)
        {
            await File.WriteAllBytesAsync(dir[name], bytes);
            Assert.Null(await Mp4BoxReader.TryReadAsync(dir[name], name, "sha", CancellationToken.None));
        }
    }
}
