using System.Globalization;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// The corpus Parquet file's contract, which <see cref="CorpusParquetWriter"/> writes and Train reads: one row per
/// JSONL row in the same order; every top-level key of the row as a typed column (string, int64, double, bool;
/// nested values as JSON text) and every feature as a float32 column named as the feature. float32 is the type of
/// feature columns only, so a reader tells them from the keys by type. The footer records the JSONL it mirrors
/// (SHA-256, size, mtime): the file is current only while the JSONL still has that size and mtime.
/// </summary>
public static class CorpusParquet
{
    public const string FormatKey = "konvid.corpus_parquet", FormatVersion = "1";
    public const string JsonlSha256Key = "konvid.jsonl_sha256", JsonlBytesKey = "konvid.jsonl_bytes", JsonlMtimeKey = "konvid.jsonl_mtime_utc_ticks";

    public static string PathFor(CorpusLayout layout) => Path.ChangeExtension(layout.CorpusJsonl, ".parquet");

    /// <summary>What the footer records about <paramref name="jsonl"/> as it is on disk now.</summary>
    public static IReadOnlyDictionary<string, string> Describe(string jsonl, string sha256)
    {
        var info = new FileInfo(jsonl);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = FormatVersion,
            [JsonlSha256Key] = sha256,
            [JsonlBytesKey] = info.Length.ToString(CultureInfo.InvariantCulture),
            [JsonlMtimeKey] = info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// The JSONL's SHA-256 when <paramref name="footer"/> describes <paramref name="jsonl"/> as it is now (same size and
    /// mtime, same format version); null when the JSONL was rewritten or touched since, or the footer is not ours.
    /// </summary>
    public static string? CurrentSha256(IReadOnlyDictionary<string, string> footer, string jsonl)
    {
        if (!File.Exists(jsonl) || footer.GetValueOrDefault(FormatKey) != FormatVersion) return null;
        var now = Describe(jsonl, "");
        return footer.GetValueOrDefault(JsonlBytesKey) == now[JsonlBytesKey] && footer.GetValueOrDefault(JsonlMtimeKey) == now[JsonlMtimeKey]
            ? footer.GetValueOrDefault(JsonlSha256Key)
            : null;
    }
}
