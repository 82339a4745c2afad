using System.IO.Compression;
using System.Security.Cryptography;
using Konvid.Testing;

namespace Konvid.Bench.Tests;

public class ManyClipsScaleOriginTests
{
    [Fact]
    public async Task The_origin_holds_every_clip_once_in_one_archive_with_a_score_row_each_in_the_published_layouts()
    {
        using var dir = new TempDir();
        var bases = new[] { "base-one"u8.ToArray(), "base-two"u8.ToArray() };

        var origin = await ManyClipsScaleOrigin.EnsureAsync(dir.Path, bases, 25, CancellationToken.None);

        using var a = ZipFile.OpenRead(Path.Combine(origin, "k150ka.zip"));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"k150ka/orig_{5_000_000_000 + i}_540_5s.mp4"), a.Entries.Select(e => e.FullName));
        var digests = new HashSet<string>();
        foreach (var entry in a.Entries)
        {
            await using var stream = entry.Open();
            digests.Add(Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
        }
        Assert.Equal(25, digests.Count);
        Assert.Contains(ManyClipsScaleOrigin.Sha256(bases, 7), digests);
        using var b = ZipFile.OpenRead(Path.Combine(origin, "k150kb.zip"));
        Assert.Equal(ManyClipsScaleOrigin.SetBClips, b.Entries.Count);

        var scoresA = await File.ReadAllLinesAsync(Path.Combine(origin, "k150ka_scores.csv"));
        Assert.Equal("video_name,video_score", scoresA[0]);
        Assert.Equal(a.Entries.Select(e => Path.GetFileName(e.FullName)), scoresA.Skip(1).Select(l => l.Split(',')[0]));
        var scoresB = await File.ReadAllLinesAsync(Path.Combine(origin, "k150kb_scores.csv"));
        Assert.Equal("video_name,mos,video_score", scoresB[0]);
        Assert.Equal(b.Entries.Select(e => Path.GetFileName(e.FullName)), scoresB.Skip(1).Select(l => l.Split(',')[0]));
    }
}
