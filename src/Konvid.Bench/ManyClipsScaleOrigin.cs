using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// A KonViD-150k-shaped origin of many tiny clips, served to Download through a file:// mirror: k150ka.zip with
/// <c>k150ka/orig_&lt;id&gt;_540_5s.mp4</c> entries (one archive, as the real set A), a small k150kb.zip, and both score
/// files in their published layouts. Clips are made as <see cref="ManyClipsOrigin.ClipBytes"/> makes them (six real
/// H.264 clips, each corpus clip one of them plus a free box naming its id), so 150,000 distinct clips cost one zip
/// write, not 150,000 ffmpeg runs.
/// </summary>
internal static class ManyClipsScaleOrigin
{
    public const string SetA = "k150ka", SetB = "k150kb";

    /// <summary>Set B's size: a handful, so set A alone carries the scale; both together pass KonViD-150k's label guard at 150,000.</summary>
    public const int SetBClips = 16;

    public static string ClipName(int index) => $"orig_{ManyClipsOrigin.FlickrId(index)}_540_5s.mp4";

    /// <summary>Where Download puts clip <paramref name="index"/> of set A, relative to clips/.</summary>
    public static string ClipPath(int index) => $"{SetA}/{ClipName(index)}";

    /// <summary>Makes (or reuses) the origin of <paramref name="clips"/> set-A clips (indices 0..clips-1) plus set B (the next <see cref="SetBClips"/>).</summary>
    public static async Task<string> EnsureAsync(string dir, IReadOnlyList<byte[]> bases, int clips, CancellationToken ct)
    {
        return await CompletedFolder.EnsureAsync(Path.Combine(dir, $"origin-150k-{clips}"), async (temp, c) =>
        {
            await WriteSetAsync(Path.Combine(temp, $"{SetA}.zip"), SetA, bases, 0, clips, c);
            await WriteSetAsync(Path.Combine(temp, $"{SetB}.zip"), SetB, bases, clips, SetBClips, c);
            var a = new StringBuilder("video_name,video_score\n");
            for (var i = 0; i < clips; i++) a.Append(ScoreRowA(i));
            await File.WriteAllTextAsync(Path.Combine(temp, $"{SetA}_scores.csv"), a.ToString(), c);
            var b = new StringBuilder("video_name,mos,video_score\n");
            for (var i = clips; i < clips + SetBClips; i++)
                b.Append(CultureInfo.InvariantCulture, $"{ClipName(i)},{Mos(i):0.000},{Mos(i):0.000}\n");
            await File.WriteAllTextAsync(Path.Combine(temp, $"{SetB}_scores.csv"), b.ToString(), c);
        }, ct);
    }

    /// <summary>
    /// The six base clips, smaller than <see cref="ManyClipsOrigin.BaseClipsAsync"/>'s (96x54, 1 s at 10 fps, ~10 kB
    /// instead of ~56 kB): 150,000 of them are the archive, the clips and, until Verify deletes it, the archive's copy.
    /// </summary>
    public static async Task<IReadOnlyList<byte[]>> BaseClipsAsync(string dir, int jobs, IProgressReporter progress, CancellationToken ct)
    {
        var paths = await BenchClips.EnsureAsync(dir, 6, 96, 54, 1, 10, jobs, progress, ct);
        var bases = new List<byte[]>();
        foreach (var p in paths) bases.Add(await File.ReadAllBytesAsync(p, ct));
        return bases;
    }

    /// <summary>A set-A score row as k150ka_scores.csv has it.</summary>
    public static string ScoreRowA(int index) => string.Create(CultureInfo.InvariantCulture, $"{ClipName(index)},{Mos(index):0.000}\n");

    /// <summary>The SHA-256 Verify will record for clip <paramref name="index"/>.</summary>
    public static string Sha256(IReadOnlyList<byte[]> bases, int index) => Convert.ToHexStringLower(SHA256.HashData(ManyClipsOrigin.ClipBytes(bases, index)));

    private static double Mos(int index) => 1 + (index * 37 % 400) / 100.0;

    private static async Task WriteSetAsync(string path, string folder, IReadOnlyList<byte[]> bases, int first, int count, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        for (var i = first; i < first + count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var entry = zip.CreateEntry($"{folder}/{ClipName(i)}", CompressionLevel.NoCompression);
            await using var stream = entry.Open();
            await stream.WriteAsync(ManyClipsOrigin.ClipBytes(bases, i), ct);
        }
    }
}
