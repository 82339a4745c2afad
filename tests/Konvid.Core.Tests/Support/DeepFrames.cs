using System.Globalization;
using Konvid.Core.Features;
using Konvid.Testing;

namespace Konvid.Core.Tests.Support;

/// <summary>Frames decoded by the real ffmpeg to raw yuv420p, as the Features decoder hands them to analyzers.</summary>
public sealed record DecodedFrames(string RawPath, int Width, int Height, IReadOnlyList<Yuv420Frame> Frames);

public static class DeepFrames
{
    /// <summary>
    /// Runs <c>ffmpeg &lt;input&gt; -pix_fmt yuv420p -f rawvideo</c> into <paramref name="dir"/> and splits the bytes into
    /// frames of <paramref name="width"/> x <paramref name="height"/> (the caller knows the size of what it asked for).
    /// </summary>
    public static Task<DecodedFrames> DecodeAsync(TempDir dir, int width, int height, double frameRate, params string[] input) =>
        DecodeAsync(dir, width, height, frameRate, fullRange: false, input);

    /// <summary>As above, in full range (<c>-pix_fmt yuvj420p</c>) when <paramref name="fullRange"/>, as the decoder does for full-range clips.</summary>
    public static async Task<DecodedFrames> DecodeAsync(TempDir dir, int width, int height, double frameRate, bool fullRange, params string[] input)
    {
        var raw = dir[$"frames-{Guid.NewGuid():N}.yuv"];
        await Ffmpeg.RunAsync([.. input, "-pix_fmt", fullRange ? "yuvj420p" : "yuv420p", "-f", "rawvideo", raw]);
        var bytes = await File.ReadAllBytesAsync(raw);
        var size = Yuv420Frame.BufferSize(width, height);
        if (bytes.Length == 0 || bytes.Length % size != 0) throw new InvalidOperationException($"{raw}: {bytes.Length} bytes is not a whole number of {width}x{height} frames");
        var luma = width * height;
        var chroma = ((width + 1) / 2) * ((height + 1) / 2);
        var frames = new List<Yuv420Frame>();
        for (var i = 0; i < bytes.Length / size; i++)
        {
            var frame = bytes.AsMemory(i * size, size);
            frames.Add(new Yuv420Frame(i, i / frameRate, width, height, frame[..luma], frame.Slice(luma, chroma), frame.Slice(luma + chroma, chroma), fullRange));
        }

        return new DecodedFrames(raw, width, height, frames);
    }

    /// <summary>Frames of a lavfi source such as <c>testsrc2=size=320x240:rate=25</c>, optionally through a filter chain.</summary>
    public static Task<DecodedFrames> LavfiAsync(TempDir dir, int width, int height, double frameRate, double seconds, string source, string? filter = null) =>
        DecodeAsync(dir, width, height, frameRate,
        [
            "-f", "lavfi", "-i", source, "-t", seconds.ToString(CultureInfo.InvariantCulture),
            .. filter is null ? Array.Empty<string>() : ["-vf", filter],
        ]);

    /// <summary>
    /// Frame <paramref name="index"/> of a raw yuv420p file converted by ffmpeg's own swscale through <paramref name="filter"/>
    /// (which must end in rgb24 output), as interleaved RGB bytes: the oracle for our conversion.
    /// </summary>
    public static async Task<byte[]> FfmpegRgbAsync(TempDir dir, DecodedFrames decoded, int index, string filter)
    {
        var output = dir[$"oracle-{Guid.NewGuid():N}.rgb"];
        await Ffmpeg.RunAsync("-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", $"{decoded.Width}x{decoded.Height}", "-i", decoded.RawPath,
            "-vf", $"select=eq(n\\,{index}),{filter}", "-frames:v", "1", "-f", "rawvideo", output);
        return await File.ReadAllBytesAsync(output);
    }
}
