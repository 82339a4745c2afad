using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>Where a row lies in the corpus JSONL (its bytes, and its number, which is its row in the Parquet twin) and the digest of what it was rendered from (<see cref="RowDigest"/>).</summary>
internal readonly record struct RowSpot(UInt128 Digest, long Offset, int Length, int Row);

/// <summary>
/// .&lt;corpus&gt;.rows.tsv beside the corpus JSONL: for each of its rows, the clip's SHA-256, the digest of the row's
/// inputs and the row's byte range. The next Jsonl run copies a row whose inputs have the same digest instead of reading
/// its feature entry and rendering it again (at KonViD-150k's size, adding one clip otherwise re-renders 150,000 rows).
/// It describes one JSONL: its header records that file's size and mtime, and an index that does not match the JSONL
/// on disk is ignored. A cache: lost or stale, it costs a full render, never a wrong row.
/// </summary>
internal sealed class RowIndex
{
    private const string Magic = "konvid-row-index 1";

    private readonly Dictionary<UInt128, RowSpot> _rows;

    private RowIndex(Dictionary<UInt128, RowSpot> rows) => _rows = rows;

    public static string PathFor(CorpusLayout layout) =>
        Path.Combine(layout.Root, $".{Path.GetFileNameWithoutExtension(layout.CorpusJsonl)}.rows.tsv");

    public int Count => _rows.Count;

    /// <summary>The row of the clip with content <paramref name="sha256"/>, if the index has one.</summary>
    public bool TryFind(string sha256, out RowSpot spot)
    {
        spot = default;
        return TryKey(sha256, out var key) && _rows.TryGetValue(key, out spot);
    }

    /// <summary>The index of the JSONL as it is on disk now; null when there is none or it describes another file.</summary>
    public static async Task<RowIndex?> LoadAsync(CorpusLayout layout, CancellationToken ct)
    {
        var path = PathFor(layout);
        if (!File.Exists(path) || !File.Exists(layout.CorpusJsonl)) return null;
        var bytes = await File.ReadAllBytesAsync(path, ct);
        var text = bytes.AsSpan();
        var end = text.IndexOf((byte)'\n');
        if (end < 0 || Encoding.UTF8.GetString(text[..end]) != Header(layout.CorpusJsonl)) return null;
        text = text[(end + 1)..];
        var rows = new Dictionary<UInt128, RowSpot>(text.Length / 120);
        var number = 0;
        while ((end = text.IndexOf((byte)'\n')) >= 0)
        {
            var line = text[..end];
            text = text[(end + 1)..];
            // sha256 (64 hex), digest (32 hex), offset, length: tab-separated.
            if (line.Length < 64 + 1 + 32 + 4 || line[64] != (byte)'\t' || line[97] != (byte)'\t') return null;
            var rest = line[98..];
            var tab = rest.IndexOf((byte)'\t');
            if (tab < 0 || !Utf8Parser.TryParse(rest[..tab], out long offset, out var a) || a != tab
                || !Utf8Parser.TryParse(rest[(tab + 1)..], out int length, out var b) || b != rest.Length - tab - 1
                || !UInt128.TryParse(line[..32], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var key)
                || !UInt128.TryParse(line.Slice(65, 32), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var digest)) return null;
            rows[key] = new RowSpot(digest, offset, length, number++);
        }
        return rows.Count > 0 ? new RowIndex(rows) : null;
    }

    /// <summary>Writes the index of <paramref name="jsonl"/>, once that file is in place: <paramref name="rows"/> in file order.</summary>
    public static Task SaveAsync(CorpusLayout layout, IEnumerable<(string Sha256, RowSpot Spot)> rows, CancellationToken ct)
    {
        var text = new StringBuilder(Header(layout.CorpusJsonl)).Append('\n');
        foreach (var (sha, spot) in rows)
            text.Append(sha).Append('\t').Append(spot.Digest.ToString("x32", CultureInfo.InvariantCulture)).Append('\t')
                .Append(spot.Offset.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(spot.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return AtomicFile.WriteAllTextAsync(PathFor(layout), text.ToString(), ct);
    }

    private static string Header(string jsonl)
    {
        var info = new FileInfo(jsonl);
        return string.Create(CultureInfo.InvariantCulture, $"{Magic}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}");
    }

    /// <summary>A SHA-256 in hex keyed by its first 128 bits: 150,000 rows need no string per key.</summary>
    private static bool TryKey(string sha256, out UInt128 key)
    {
        key = default;
        return sha256.Length == 64 && UInt128.TryParse(sha256.AsSpan(0, 32), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out key);
    }
}
