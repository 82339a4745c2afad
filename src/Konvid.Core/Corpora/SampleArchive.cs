using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Konvid.Core.Corpora;

/// <summary>
/// Writes the two zips in KoNViD-1k's published layout with reproducible bytes: entries in a fixed order, one fixed
/// timestamp, fixed permissions, clips stored (H.264 does not deflate), CSVs deflated.
/// </summary>
internal static class SampleArchive
{
    public const string VideosZip = "KoNViD_1k_videos.zip";
    public const string MetadataZip = "KoNViD_1k_metadata.zip";
    public const string VideosFolder = "KoNViD_1k_videos";
    public const string MetadataFolder = "KoNViD_1k_metadata";
    public const string AttributesCsv = "KoNViD_1k_attributes.csv";
    public const string MosCsv = "KoNViD_1k_mos.csv";

    /// <summary>The header of the real KoNViD_1k_attributes.csv.</summary>
    public const string AttributesHeader = "flickr_id,download_id,file_name,MOS,ti,si,colorfulness,contrast,blur,vniqe";

    public const string MosHeader = "flickr_id,mos";

    // The corpus's publication year; any fixed instant would do, the point is that it never changes.
    private static readonly DateTimeOffset Stamp = new(2017, 5, 31, 12, 0, 0, TimeSpan.Zero);
    private const int UnixFile = 0x81A4 << 16;          // -rw-r--r--
    private const int UnixDirectory = (0x41ED << 16) | 0x10; // drwxr-xr-x, plus the MS-DOS directory bit

    public static async Task WriteVideosAsync(string zipPath, IReadOnlyList<SampleClip> clips, string clipDir, CancellationToken ct)
    {
        await using var file = new FileStream(zipPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Create, leaveOpen: false, entryNameEncoding: null, ct);
        AddFolder(zip, VideosFolder);
        foreach (var clip in clips.OrderBy(c => c.FileName, StringComparer.Ordinal))
        {
            var entry = NewEntry(zip, $"{VideosFolder}/{clip.FileName}", CompressionLevel.NoCompression);
            await using var target = await entry.OpenAsync(ct);
            await using var source = new FileStream(Path.Combine(clipDir, clip.FileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await source.CopyToAsync(target, ct);
        }
    }

    public static async Task WriteMetadataAsync(string zipPath, IReadOnlyList<SampleClip> clips, CancellationToken ct)
    {
        await using var file = new FileStream(zipPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Create, leaveOpen: false, entryNameEncoding: null, ct);
        AddFolder(zip, MetadataFolder);
        await AddTextAsync(zip, $"{MetadataFolder}/{AttributesCsv}", AttributesCsvText(clips), ct);
        await AddTextAsync(zip, $"{MetadataFolder}/{MosCsv}", MosCsvText(clips), ct);
    }

    /// <summary>
    /// The attributes file: the measured MOS; the other attribute columns (ti, si, colorfulness, contrast, blur,
    /// vniqe) are 0, since no stage reads them and the clips' own features are computed by Features.
    /// </summary>
    public static string AttributesCsvText(IReadOnlyList<SampleClip> clips)
    {
        var sb = new StringBuilder(AttributesHeader).Append('\n');
        foreach (var c in Ordered(clips))
            sb.Append(CultureInfo.InvariantCulture, $"{c.FlickrId},{c.DownloadId},{c.HistoricalFileName},{FormatMos(c.Mos)},0,0,0,0,0,0\n");
        return sb.ToString();
    }

    public static string MosCsvText(IReadOnlyList<SampleClip> clips)
    {
        var sb = new StringBuilder(MosHeader).Append('\n');
        foreach (var c in Ordered(clips)) sb.Append(CultureInfo.InvariantCulture, $"{c.FlickrId},{FormatMos(c.Mos)}\n");
        return sb.ToString();
    }

    public static string FormatMos(double mos) => mos.ToString("0.0###", CultureInfo.InvariantCulture);

    private static IEnumerable<SampleClip> Ordered(IEnumerable<SampleClip> clips) => clips.OrderBy(c => c.FlickrId);

    private static void AddFolder(ZipArchive zip, string folder)
    {
        var entry = zip.CreateEntry(folder + "/", CompressionLevel.NoCompression);
        entry.LastWriteTime = Stamp;
        entry.ExternalAttributes = UnixDirectory;
    }

    private static ZipArchiveEntry NewEntry(ZipArchive zip, string name, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = Stamp;
        entry.ExternalAttributes = UnixFile;
        return entry;
    }

    private static async Task AddTextAsync(ZipArchive zip, string name, string text, CancellationToken ct)
    {
        await using var target = await NewEntry(zip, name, CompressionLevel.SmallestSize).OpenAsync(ct);
        await target.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
    }
}
