using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// A KoNViD-1k-shaped origin of many tiny clips for the engine's scale rows: KoNViD_1k_videos.zip with
/// <c>&lt;flickr_id&gt;.mp4</c> entries and KoNViD_1k_metadata.zip with the attributes CSV, served to Download through a
/// file:// mirror. Six real H.264 clips are encoded once; every corpus clip is one of them plus an MP4 <c>free</c> box
/// naming its id, so each clip has its own sha256 and still decodes as the original (players skip free boxes).
/// </summary>
internal static class ManyClipsOrigin
{
    public const string VideosZip = "KoNViD_1k_videos.zip", MetadataZip = "KoNViD_1k_metadata.zip";
    public const string VideosFolder = "KoNViD_1k_videos", MetadataFolder = "KoNViD_1k_metadata", Attributes = "KoNViD_1k_attributes.csv";
    private const long FirstId = 5_000_000_000;

    public static long FlickrId(int index) => FirstId + index;

    /// <summary>Makes (or reuses) the origin of <paramref name="clips"/> clips under <paramref name="dir"/>.</summary>
    public static async Task<string> EnsureAsync(string dir, string baseClipsDir, int clips, int jobs, IProgressReporter progress, CancellationToken ct)
    {
        return await CompletedFolder.EnsureAsync(Path.Combine(dir, $"origin-{clips}"), async (temp, c) =>
        {
            var bases = await BaseClipsAsync(baseClipsDir, jobs, progress, c);
            using (var zip = ZipFile.Open(Path.Combine(temp, VideosZip), ZipArchiveMode.Create))
                for (var i = 0; i < clips; i++)
                {
                    c.ThrowIfCancellationRequested();
                    var entry = zip.CreateEntry($"{VideosFolder}/{FlickrId(i)}.mp4", CompressionLevel.NoCompression);
                    await using var stream = entry.Open();
                    await stream.WriteAsync(ClipBytes(bases, i), c);
                }
            using (var zip = ZipFile.Open(Path.Combine(temp, MetadataZip), ZipArchiveMode.Create))
            {
                var entry = zip.CreateEntry($"{MetadataFolder}/{Attributes}");
                await using var stream = entry.Open();
                var csv = new StringBuilder("flickr_id,download_id,file_name,MOS,ti,si,colorfulness,contrast,blur,vniqe\n");
                for (var i = 0; i < clips; i++) csv.Append(AttributesRow(i));
                await stream.WriteAsync(Encoding.UTF8.GetBytes(csv.ToString()), c);
            }
        }, ct);
    }

    /// <summary>One clip's bytes: base clip index % 6 and a 24-byte free box carrying the id.</summary>
    public static byte[] ClipBytes(IReadOnlyList<byte[]> bases, int index)
    {
        var clip = bases[index % bases.Count];
        var payload = Encoding.ASCII.GetBytes(FlickrId(index).ToString("D16", CultureInfo.InvariantCulture));
        var bytes = new byte[clip.Length + 8 + payload.Length];
        clip.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(clip.Length), (uint)(8 + payload.Length));
        "free"u8.CopyTo(bytes.AsSpan(clip.Length + 4));
        payload.CopyTo(bytes, clip.Length + 8);
        return bytes;
    }

    /// <summary>A label row as the real file has it; the MOS is spread over 1-5 by the id, it only has to be valid.</summary>
    public static string AttributesRow(int index) => string.Create(CultureInfo.InvariantCulture,
        $"{FlickrId(index)},{index},{FlickrId(index)}_original_centercrop_960x540_8s.mp4,{1 + (index * 37 % 400) / 100.0:0.00},0,0,0,0,0,0\n");

    public static async Task<IReadOnlyList<byte[]>> BaseClipsAsync(string dir, int jobs, IProgressReporter progress, CancellationToken ct)
    {
        var paths = await BenchClips.EnsureAsync(dir, 6, 160, 90, 1, 25, jobs, progress, ct);
        var bases = new List<byte[]>();
        foreach (var p in paths) bases.Add(await File.ReadAllBytesAsync(p, ct));
        return bases;
    }
}
