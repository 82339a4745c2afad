using System.IO.Compression;
using System.Text;
using Konvid.Core.Corpora;
using Konvid.Core.Download;

namespace Konvid.Core.Tests.Support;

/// <summary>Catalogs, bodies, zips and fast options for the Download and Verify tests.</summary>
public static class AcquisitionFixtures
{
    /// <summary>Tiny waits so retries and timeouts cost milliseconds, not seconds.</summary>
    public static DownloadOptions Fast(int jobs = 4) => new()
    {
        Jobs = jobs,
        StallTimeout = TimeSpan.FromSeconds(5),
        MaxAttempts = 4,
        BackoffBase = TimeSpan.FromMilliseconds(10),
        MaxRetryAfter = TimeSpan.FromSeconds(2),
    };

    public static Catalog Catalog(params CatalogSource[] sources) =>
        new("test", "test-1", "research use", "", sources, [], new LabelGuard(1, 100_000), new GateThresholds(0, 0, 1, 1), null);

    public static CatalogSource Archive(string name, string url, string unpackTo = "clips", string? sha256 = null) =>
        new(name, url, SourceKind.Archive, unpackTo, null, sha256, false);

    public static CatalogSource FileSource(string name, string url, string? saveAs = null, string? sha256 = null, bool optional = false) =>
        new(name, url, SourceKind.File, null, saveAs, sha256, optional);

    public static CatalogSource ClipList(string name, string url) => new(name, url, SourceKind.ClipList, null, null, null, false);

    /// <summary>Deterministic, incompressible-looking bytes (so a zip entry of them is not mistaken for a bomb).</summary>
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

    public const int RegularFile = 0x81A4; // S_IFREG | 0644
    public const int Symlink = 0xA1FF;     // S_IFLNK | 0777
}
