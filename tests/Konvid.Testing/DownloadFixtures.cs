using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Konvid.Core.Corpora;
using Konvid.Core.Download;
using Konvid.Core.Workspace;

namespace Konvid.Testing;

/// <summary>Catalogs, bodies, zips and patient-but-quick options for driving <see cref="Downloader"/> against a <see cref="FaultServer"/>.</summary>
public static class DownloadFixtures
{
    public const int RegularFile = 0x81A4; // S_IFREG | 0644, as Info-ZIP stores it in the high half of ExternalAttributes
    public const int Symlink = 0xA1FF;     // S_IFLNK | 0777
    public const int Fifo = 0x11A4;        // S_IFIFO | 0644
    public const int CharDevice = 0x21A4;  // S_IFCHR | 0644

    /// <summary>
    /// Millisecond backoff and a short stall limit (one second by default), so faults cost little time but every retry
    /// path runs. In-process tests that provoke no stall take a longer one, so a loaded machine does not fake one.
    /// </summary>
    public static DownloadOptions Quick(int jobs = 4, int attempts = 4, bool retryFailed = false, int stallSeconds = 1) => new()
    {
        Jobs = jobs,
        StallTimeout = TimeSpan.FromSeconds(stallSeconds),
        MaxAttempts = attempts,
        BackoffBase = TimeSpan.FromMilliseconds(10),
        MaxRetryAfter = TimeSpan.FromSeconds(2),
        RetryFailed = retryFailed,
    };

    public static Catalog Catalog(params CatalogSource[] sources) =>
        new("test", "test-1", "research use", "", sources, [], new LabelGuard(1, 100_000), new GateThresholds(0, 0, 1, 1), null);

    public static CatalogSource Archive(string name, string url, string unpackTo = "clips", string? sha256 = null) =>
        new(name, url, SourceKind.Archive, unpackTo, null, sha256, false);

    public static CatalogSource FileSource(string name, string url, string? saveAs = null, string? sha256 = null, bool optional = false) =>
        new(name, url, SourceKind.File, null, saveAs, sha256, optional);

    public static CatalogSource ClipList(string name, string url) => new(name, url, SourceKind.ClipList, null, null, null, false);

    /// <summary>Deterministic bytes that do not compress (so a zip of them is not a bomb).</summary>
    public static byte[] Body(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    /// <summary>Builds a zip in memory; <paramref name="unixMode"/> per entry goes to the high half of ExternalAttributes as Info-ZIP does.</summary>
    public static byte[] Zip(params (string Name, byte[] Content, int UnixMode)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, mode) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.ExternalAttributes = mode << 16;
                using var s = entry.Open();
                s.Write(content);
            }
        }
        return memory.ToArray();
    }

    /// <summary>A clip list CSV (file_name,url), every field quoted so names with commas and quotes survive.</summary>
    public static byte[] ClipListCsv(IEnumerable<(string Name, Uri Url)> rows)
    {
        static string Q(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
        var sb = new StringBuilder("file_name,url\n");
        foreach (var (name, url) in rows) sb.Append(Q(name)).Append(',').Append(Q(url.ToString())).Append('\n');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>What .download-progress.json says about one clip or source.</summary>
    public sealed record Recorded(string Status, string? Reason, int Attempts, bool Permanent);

    public static IReadOnlyDictionary<string, Recorded> RecordedClips(CorpusLayout layout) => ReadRecorded(layout, "clips");

    public static IReadOnlyDictionary<string, Recorded> RecordedSources(CorpusLayout layout) => ReadRecorded(layout, "sources");

    private static IReadOnlyDictionary<string, Recorded> ReadRecorded(CorpusLayout layout, string section)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(layout.DownloadProgress));
        return doc.RootElement.GetProperty(section).EnumerateObject().ToDictionary(p => p.Name, p => new Recorded(
            p.Value.GetProperty("status").GetString()!,
            p.Value.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null,
            p.Value.GetProperty("attempts").GetInt32(),
            p.Value.GetProperty("permanent").GetBoolean()), StringComparer.Ordinal);
    }
}
