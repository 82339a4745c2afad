using Konvid.Core.Features;
using Konvid.Core.Tests.Support;
using Konvid.Testing;
using Xunit.Abstractions;

namespace Konvid.Core.Tests.Features;

/// <summary>
/// Full-range video (phones' yuvj420p H.264, MJPEG, RGB) is measured on the same scale as limited-range video: the decoder
/// delivers it in its own range and the analyzers read that range from each frame, so nothing is scaled twice.
/// </summary>
public sealed class ColourRangeTests(ITestOutputHelper output)
{
    private const string Scene = "testsrc2=size=320x240:rate=25,noise=alls=12:allf=t";

    /// <summary>Full-range encodings of one scene; the first two are formats ffmpeg's siti reads as full range.</summary>
    public static TheoryData<string, string[], bool> FullRangeClips => new()
    {
        { "phone-yuvj420p.mp4", ["-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuvj420p"], true },
        { "mjpeg-yuvj422p.avi", ["-c:v", "mjpeg", "-q:v", "1", "-pix_fmt", "yuvj422p"], true },
        { "rgb-gbrp.mkv", ["-c:v", "ffv1", "-pix_fmt", "gbrp"], false },
    };

    [Theory]
    [MemberData(nameof(FullRangeClips))]
    public async Task A_full_range_clip_has_the_features_of_its_content_in_limited_range_and_sitis_si_ti(string name, string[] encode, bool sitiReadsIt)
    {
        using var dir = new TempDir();
        var full = await Ffmpeg.MakeClipAsync(dir[name], Scene, 1, encode);
        // The same pictures in limited range: the full-range clip's own decode, converted by swscale and stored losslessly.
        var limited = dir["limited.mkv"];
        await Ffmpeg.RunAsync("-i", full, "-c:v", "ffv1", "-pix_fmt", "yuv420p", limited);
        var fullProbe = await MediaOracle.ProbeAsync(full);
        var limitedProbe = await MediaOracle.ProbeAsync(limited);
        Assert.True(DecodedRange.IsFull(fullProbe), $"{name}: {fullProbe.PixFmt}/{fullProbe.ColorRange} is full range");
        Assert.False(DecodedRange.IsFull(limitedProbe));

        var expected = await ClipFeatureComputer.ComputeAsync(limited, limitedProbe, null, CancellationToken.None);
        var actual = await ClipFeatureComputer.ComputeAsync(full, fullProbe, null, CancellationToken.None);

        // bits_per_pixel is the file's size, which the two encodings do not share.
        var compared = expected.Keys.Where(k => k != "bits_per_pixel").ToList();
        var off = compared.Where(k => !Close(k, expected[k], actual[k])).Select(k => $"{k}: limited {expected[k]:G6}, full {actual[k]:G6}").ToList();
        foreach (var line in off) output.WriteLine(line);
        Assert.Empty(off);
        Assert.True(Close("si_mean", 0.86 * expected["si_mean"], expected["si_mean"]) is false, "the tolerance tells a x0.86 scaling apart");

        if (!sitiReadsIt) return;
        var siti = await MediaOracle.SitiAsync(full);
        SiTiTests.AssertWithinOnePercent(siti.SiAverage, actual["si_mean"], "SI average");
        SiTiTests.AssertWithinOnePercent(siti.SiMax, actual["si_max"], "SI max");
        SiTiTests.AssertWithinOnePercent(siti.TiMax, actual["ti_max"], "TI max");
        SiTiTests.AssertWithinOnePercent(siti.TiAverage, actual["ti_mean"] * (siti.Frames - 1) / siti.Frames, "TI average");
    }

    /// <summary>
    /// The SI/TI tests' 1 %, with a floor for values that are near zero on this static scene (frame-to-frame flicker of
    /// hundredths of a level, the spread of noise over frames): 0.01 luma levels, 0.01/255 for contrast (a 0..1 ratio),
    /// 0.0001 for the ratios blur and blockiness. Range requantisation (220 levels onto 256) moves those by more than 1 %.
    /// </summary>
    internal static bool Close(string name, double expected, double actual)
    {
        var floor = name.StartsWith("contrast", StringComparison.Ordinal) ? 0.01 / 255
            : name.StartsWith("blur", StringComparison.Ordinal) || name.StartsWith("blockiness", StringComparison.Ordinal) ? 1e-4
            : 0.01;
        return Math.Abs(actual - expected) <= 0.01 * Math.Abs(expected) + floor;
    }
}
