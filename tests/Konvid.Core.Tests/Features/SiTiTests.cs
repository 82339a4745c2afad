using Konvid.Core.Features;
using Konvid.Core.Tests.Support;
using Konvid.Testing;

namespace Konvid.Core.Tests.Features;

public class SiTiTests
{
    public static TheoryData<string, string, string[]> Clips => new()
    {
        { "testsrc2.mp4", "testsrc2=size=320x240:rate=25", ["-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p"] },
        { "mandelbrot-odd.mkv", "mandelbrot=size=161x91:rate=15", ["-c:v", "ffv1", "-pix_fmt", "yuv420p"] },
        { "life-ntsc.mp4", "life=size=200x150:rate=30000/1001:mold=10:ratio=0.5:death_color=#102030:life_color=#e0c040", ["-c:v", "libx264", "-crf", "28", "-pix_fmt", "yuv420p"] },
        { "noisy-bars-odd.mkv", "smptehdbars=size=239x135:rate=24,noise=alls=30:allf=t", ["-c:v", "ffv1", "-pix_fmt", "yuv420p"] },
    };

    [Theory]
    [MemberData(nameof(Clips))]
    public async Task Si_and_ti_equal_ffmpegs_siti_filter_within_one_percent(string name, string lavfi, string[] encode)
    {
        using var dir = new TempDir();
        var clip = await Ffmpeg.MakeClipAsync(dir[name], lavfi, 1, encode);
        var oracle = await MediaOracle.SitiAsync(clip);

        var features = await ClipFeatureComputer.ComputeAsync(clip, await MediaOracle.ProbeAsync(clip), null, CancellationToken.None);

        AssertWithinOnePercent(oracle.SiAverage, features["si_mean"], "SI average");
        AssertWithinOnePercent(oracle.SiMax, features["si_max"], "SI max");
        AssertWithinOnePercent(oracle.TiMax, features["ti_max"], "TI max");
        // siti counts a TI of 0 for the first frame (nothing to difference against); nr-v1 leaves that frame out of TI.
        AssertWithinOnePercent(oracle.TiAverage, features["ti_mean"] * (oracle.Frames - 1) / oracle.Frames, "TI average");
    }

    internal static void AssertWithinOnePercent(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 0.01 * Math.Abs(expected) + 1e-9, $"{what}: ffmpeg siti {expected}, nr-v1 {actual}");
}
