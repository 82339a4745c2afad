using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Features;
using Konvid.Core.Probe;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Features;

public class DecodeDamageTests
{
    private const string Scene = "testsrc2=size=320x240:rate=25";

    [Fact]
    public async Task A_corrupted_middle_is_corrupt_a_cut_file_is_truncated_and_only_the_cut_one_is_told_of_the_source()
    {
        using var corpus = new MediaCorpus();
        var x264 = new[] { "-c:v", "libx264", "-threads", "1", "-g", "25", "-pix_fmt", "yuv420p" };
        await corpus.AddLavfiAsync("whole.mp4", Scene, 3, x264);
        var corrupt = await corpus.AddLavfiAsync("corrupt-middle.mp4", Scene, 3, x264);
        var bytes = await File.ReadAllBytesAsync(corrupt);
        // 400 bytes in the middle of the media data (moov is at the end): a few macroblocks of one GOP.
        var middle = bytes.AsSpan().IndexOf("mdat"u8) + (bytes.Length - bytes.AsSpan().IndexOf("mdat"u8)) / 3;
        for (var i = middle; i < middle + 400; i++) bytes[i] ^= 0x5A;
        await File.WriteAllBytesAsync(corrupt, bytes);
        var faststart = await corpus.AddLavfiAsync("cut-faststart.mp4", Scene, 3, [.. x264, "-movflags", "+faststart"]);
        Cut(faststart, 0.7);
        Cut(await corpus.AddLavfiAsync("cut.mkv", Scene, 3, x264), 0.6);
        await corpus.WriteManifestAsync();
        // The oracle: ffmpeg's own full decode complains about the corrupted clip and not about the whole one.
        Assert.NotEmpty(await FfmpegErrorsAsync(corrupt));
        Assert.Empty(await FfmpegErrorsAsync(corpus.ClipPath("whole.mp4")));

        await Prober.RunAsync(corpus.Layout, new ProbeOptions(2, Shard.All), NullProgress.Instance, CancellationToken.None);
        var progress = new AcquisitionProgressRecorder();
        var report = await FeatureExtractor.RunAsync(corpus.Layout, new FeatureOptions(2, Shard.All), progress, CancellationToken.None);

        Assert.Equal(3, report.Failed);
        var lost = (await AttritionLedger.ReadAllAsync(corpus.Layout)).ToDictionary(e => e.Id);
        Assert.Equal(["corrupt-middle.mp4", "cut-faststart.mp4", "cut.mkv"], lost.Keys.Order(StringComparer.Ordinal));
        Assert.All(lost.Values, e => Assert.Equal(Stage.Features, e.Stage));
        Assert.StartsWith("corrupt: the decoder reported ", lost["corrupt-middle.mp4"].Reason);
        Assert.Contains("75 of the 75 frames", lost["corrupt-middle.mp4"].Reason);
        Assert.StartsWith("truncated: the file ends before its video does", lost["cut-faststart.mp4"].Reason);
        Assert.StartsWith("truncated: the file ends before its video does", lost["cut.mkv"].Reason);
        Assert.All(lost.Values, e => Assert.DoesNotContain("\n", e.Reason));

        // The hint fits the reason: nothing tells the user that downloading the same bytes again would help.
        var corruptWarning = Assert.Single(progress.Warnings, w => w.Contains("corrupt-middle.mp4", StringComparison.Ordinal));
        Assert.Contains("a new download brings the same bytes", corruptWarning);
        Assert.DoesNotContain("run Download", corruptWarning);
        var cutWarning = Assert.Single(progress.Warnings, w => w.Contains("cut-faststart.mp4", StringComparison.Ordinal));
        Assert.Contains("cut short", cutWarning);
    }

    private static void Cut(string path, double share)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * share)]);
    }

    private static async Task<string> FfmpegErrorsAsync(string path) =>
        (await Cli.Wrap("ffmpeg").WithArguments(["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync()).StandardError.Trim();
}
