using Konvid.Core.Features.Deep;
using Konvid.Core.Tests.Support;
using Konvid.Testing;
using Xunit.Abstractions;

namespace Konvid.Core.Tests.Features.Deep;

public sealed class FrameToRgbTests(ITestOutputHelper output)
{
    private const int Size = DeepFeaturizer.InputSize;

    // Oracle: ffmpeg's swscale on the same yuv420p bytes, BT.601 limited range (its default for untagged input),
    // bilinear kernel widened when shrinking, chroma interpolated per output pixel (full_chroma_int) and rounded
    // accurately: the same recipe as FrameToRgb, so it is a fair comparison. Tolerance: every byte within 1 level
    // (fixed-point vs float rounding) and a mean absolute difference below 0.05. Measured on these inputs: max 1,
    // mean 0.005-0.011. The likely mistakes land far outside it, which the test checks too, so it can fail: a BT.709
    // matrix (max 22-40 off), full range (max 19-20) or a box/area kernel (max 17-30).
    [Theory]
    [InlineData("testsrc2", 320, 240)]
    [InlineData("testsrc2", 321, 181)] // odd: chroma is 161x91
    [InlineData("testsrc2", 160, 90)] // enlarged to 224
    [InlineData("mandelbrot", 640, 360)]
    public async Task Yuv420_to_rgb_at_224_matches_ffmpeg_bilinear_rgb24_within_one_level(string source, int width, int height)
    {
        using var dir = new TempDir();
        // lavfi sources round sizes to even, and crop on yuv420p does too: crop in RGB for the odd ones.
        var decoded = await DeepFrames.LavfiAsync(dir, width, height, 10, 0.3,
            $"{source}=size={width + width % 2}x{height + height % 2}:rate=10", $"format=rgb24,crop={width}:{height}:0:0");
        var ours = Interleave(Convert(decoded, 2));
        const string Scale = "scale=224:224:flags={0}+full_chroma_int+accurate_rnd{1},format=rgb24";

        var oracle = Stats(ours, await DeepFrames.FfmpegRgbAsync(dir, decoded, 2, string.Format(Scale, "bilinear", "")));
        output.WriteLine($"{source} {width}x{height}: mean abs {oracle.MeanAbs:F4}, max {oracle.Max}");
        Assert.True(oracle.Max <= 1, $"max difference {oracle.Max} levels");
        Assert.True(oracle.MeanAbs < 0.05, $"mean absolute difference {oracle.MeanAbs:F4} levels");

        var mistakes = new List<(string Name, string Flags, string Options)> { ("BT.709", "bilinear", ":in_color_matrix=bt709"), ("full range", "bilinear", ":in_range=full") };
        if (width > Size || height > Size) mistakes.Add(("area kernel", "area", "")); // enlarging, swscale's area is bilinear
        foreach (var (mistake, flags, options) in mistakes)
        {
            var wrong = Stats(ours, await DeepFrames.FfmpegRgbAsync(dir, decoded, 2, string.Format(Scale, flags, options)));
            Assert.True(wrong.Max > 1, $"the tolerance would not tell us from ffmpeg with {mistake}");
        }
    }

    // Full-range frames (yuvj420p, as the decoder delivers phones' and MJPEG clips) against swscale told the input is full
    // range; the limited-range coefficients, which the converter used for every frame before, must land outside.
    [Theory]
    [InlineData("testsrc2", 320, 240)]
    [InlineData("mandelbrot", 640, 360)]
    public async Task Full_range_frames_convert_with_full_range_coefficients_like_ffmpeg(string source, int width, int height)
    {
        using var dir = new TempDir();
        var decoded = await DeepFrames.DecodeAsync(dir, width, height, 10, fullRange: true,
            "-f", "lavfi", "-i", $"{source}=size={width}x{height}:rate=10", "-t", "0.3");
        Assert.All(decoded.Frames, f => Assert.True(f.FullRange));
        var ours = Interleave(Convert(decoded, 2));
        const string Scale = "scale=224:224:flags=bilinear+full_chroma_int+accurate_rnd:in_range={0},format=rgb24";

        var oracle = Stats(ours, await DeepFrames.FfmpegRgbAsync(dir, decoded, 2, string.Format(Scale, "full")));
        output.WriteLine($"{source} {width}x{height} full range: mean abs {oracle.MeanAbs:F4}, max {oracle.Max}");
        Assert.True(oracle.Max <= 1, $"max difference {oracle.Max} levels");
        Assert.True(oracle.MeanAbs < 0.05, $"mean absolute difference {oracle.MeanAbs:F4} levels");
        var asLimited = Stats(ours, await DeepFrames.FfmpegRgbAsync(dir, decoded, 2, string.Format(Scale, "limited")));
        Assert.True(asLimited.Max > 1, "the tolerance would not tell full from limited range");
    }

    internal static byte[] Convert(DecodedFrames decoded, int index)
    {
        var rgb = new byte[3 * Size * Size];
        new FrameToRgb(decoded.Width, decoded.Height, Size).Convert(decoded.Frames[index], rgb);
        return rgb;
    }

    private static byte[] Interleave(byte[] planar)
    {
        var pixels = Size * Size;
        var interleaved = new byte[planar.Length];
        for (var i = 0; i < pixels; i++)
            for (var c = 0; c < 3; c++)
                interleaved[3 * i + c] = planar[c * pixels + i];
        return interleaved;
    }

    private static (double MeanAbs, int Max) Stats(byte[] ours, byte[] oracle)
    {
        Assert.Equal(ours.Length, oracle.Length);
        var diffs = ours.Zip(oracle, (x, y) => Math.Abs(x - y)).ToArray();
        return (diffs.Average(), diffs.Max());
    }
}
