using Konvid.Core.Features;
using Konvid.Core.Tests.Support;
using Konvid.Testing;

namespace Konvid.Core.Tests.Features;

/// <summary>The distortion measures must order graded versions of one scene the way the distortion was applied.</summary>
public class DistortionResponseTests
{
    // Shifted by (3, 5) so the test pattern's own sharp edges do not sit on the 8x8 coding grid.
    private const string Scene = "testsrc2=size=328x248:rate=25,crop=320:240:3:5";

    [Fact]
    public async Task Blur_rises_monotonically_with_gaussian_blur_sigma()
    {
        var sigmas = new[] { 0.0, 1.0, 2.0, 4.0 };
        var features = await ComputeAllAsync(sigmas.Select(s => s == 0 ? Scene : $"{Scene},gblur=sigma={s}"), ["-c:v", "libx264", "-crf", "26", "-pix_fmt", "yuv420p"]);
        AssertRising(features, "blur_mean", sigmas);
    }

    [Fact]
    public async Task Blur_and_blockiness_rise_monotonically_with_x264_crf()
    {
        var crfs = new[] { 10.0, 26, 38, 51 };
        var features = new List<SortedDictionary<string, double>>();
        using var dir = new TempDir();
        foreach (var crf in crfs)
        {
            var clip = await Ffmpeg.MakeClipAsync(dir[$"crf{crf}.mp4"], Scene, 1, "-c:v", "libx264", "-crf", crf.ToString(), "-pix_fmt", "yuv420p");
            features.Add(await ClipFeatureComputer.ComputeAsync(clip, await MediaOracle.ProbeAsync(clip), null, CancellationToken.None));
        }
        AssertRising(features, "blur_mean", crfs);
        AssertRising(features, "blockiness_mean", crfs);
    }

    [Fact]
    public async Task Noise_rises_with_added_noise()
    {
        var strengths = new[] { 0.0, 5, 12, 25 };
        var features = await ComputeAllAsync(strengths.Select(s => s == 0 ? Scene : $"{Scene},noise=alls={s}:allf=t"), ["-c:v", "ffv1", "-pix_fmt", "yuv420p"]);
        AssertRising(features, "noise_mean", strengths);
    }

    [Fact]
    public async Task Scene_cuts_count_a_hard_cut_but_not_steady_motion()
    {
        using var dir = new TempDir();
        var cut = await Ffmpeg.MakeClipAsync(dir["cut.mp4"],
            "testsrc2=size=160x90:rate=25:duration=1[a];mandelbrot=size=160x90:rate=25,trim=duration=1[b];[a][b]concat=n=2[out0]", 2,
            "-c:v", "libx264", "-pix_fmt", "yuv420p");
        var steady = await Ffmpeg.MakeClipAsync(dir["steady.mp4"], "testsrc2=size=160x90:rate=25", 2, "-c:v", "libx264", "-pix_fmt", "yuv420p");

        var withCut = await ClipFeatureComputer.ComputeAsync(cut, await MediaOracle.ProbeAsync(cut), null, CancellationToken.None);
        var without = await ClipFeatureComputer.ComputeAsync(steady, await MediaOracle.ProbeAsync(steady), null, CancellationToken.None);

        Assert.Equal(0.5, withCut["scene_cuts_per_s"], 6); // one cut in two seconds
        Assert.Equal(0, without["scene_cuts_per_s"]);
    }

    private static async Task<List<SortedDictionary<string, double>>> ComputeAllAsync(IEnumerable<string> sources, string[] encode)
    {
        using var dir = new TempDir();
        var all = new List<SortedDictionary<string, double>>();
        var i = 0;
        foreach (var source in sources)
        {
            var clip = await Ffmpeg.MakeClipAsync(dir[$"v{i++}.mkv"], source, 1, encode);
            all.Add(await ClipFeatureComputer.ComputeAsync(clip, await MediaOracle.ProbeAsync(clip), null, CancellationToken.None));
        }
        return all;
    }

    private static void AssertRising(List<SortedDictionary<string, double>> features, string name, double[] levels)
    {
        var values = features.Select(f => f[name]).ToList();
        var shown = string.Join(", ", levels.Zip(values, (l, v) => $"{l}: {v:F4}"));
        for (var i = 1; i < values.Count; i++)
            Assert.True(values[i] > values[i - 1], $"{name} does not rise with the distortion level ({shown})");
    }
}
