using System.Security.Cryptography;
using Konvid.Testing;

namespace Konvid.Bench.Tests;

public class ManyClipsOriginTests
{
    [Fact]
    public async Task Copies_with_an_id_box_hash_differently_and_decode_like_the_original()
    {
        using var dir = new TempDir();
        var original = await Ffmpeg.MakeClipAsync(dir["a.mp4"], "testsrc2=size=160x90:rate=25", 0.4);
        var bases = new[] { await File.ReadAllBytesAsync(original) };
        await File.WriteAllBytesAsync(dir["1.mp4"], ManyClipsOrigin.ClipBytes(bases, 1));
        await File.WriteAllBytesAsync(dir["2.mp4"], ManyClipsOrigin.ClipBytes(bases, 2));

        Assert.NotEqual(SHA256.HashData(await File.ReadAllBytesAsync(dir["1.mp4"])), SHA256.HashData(await File.ReadAllBytesAsync(dir["2.mp4"])));
        // ffmpeg's framemd5 of the decoded frames is the oracle: the free box must change no decoded pixel and raise no warning.
        var expected = await Ffmpeg.RunAsync("-i", original, "-f", "framemd5", dir["a.md5"]);
        var copy = await Ffmpeg.RunAsync("-i", dir["2.mp4"], "-f", "framemd5", dir["2.md5"]);
        Assert.Equal("", copy);
        Assert.Equal(Hashes(await File.ReadAllLinesAsync(dir["a.md5"])), Hashes(await File.ReadAllLinesAsync(dir["2.md5"])));
        Assert.NotEmpty(Hashes(await File.ReadAllLinesAsync(dir["a.md5"])));
    }

    private static string[] Hashes(string[] lines) => lines.Where(l => !l.StartsWith('#')).Select(l => l.Split(',')[^1].Trim()).ToArray();

    [Fact]
    public void Label_rows_follow_the_real_attributes_layout()
    {
        var row = ManyClipsOrigin.AttributesRow(3).TrimEnd('\n').Split(',');
        Assert.Equal(10, row.Length);
        Assert.Equal("5000000003", row[0]);
        Assert.Equal("5000000003_original_centercrop_960x540_8s.mp4", row[2]);
        Assert.InRange(double.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture), 1, 5);
    }
}
