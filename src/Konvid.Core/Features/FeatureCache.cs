using Konvid.Core.Features.Deep;
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>How much of a cache entry to read.</summary>
internal enum FeatureRead
{
    /// <summary>The features in ordinal name order (Jsonl's rows).</summary>
    Features,

    /// <summary>Only whether the entry holds features or an error, its features skipped unparsed (Features' to-do list).</summary>
    StateOnly,
}

/// <summary>
/// A cache entry: the features in ordinal name order, or the error that made the clip a loss. Read with
/// <see cref="FeatureRead.StateOnly"/>, <see cref="Features"/> stays null and <see cref="Ok"/> alone says they are there.
/// </summary>
internal sealed record FeatureEntry(KeyValuePair<string, double>[]? Features, string? Error)
{
    /// <summary>An entry known to hold features, unread: what <see cref="FeatureRead.StateOnly"/> finds, shared.</summary>
    public static readonly FeatureEntry Holding = new(null, null);

    public bool Ok => Error is null;
}

/// <summary>A cache entry's size and mtime: what changes when the entry is written again.</summary>
internal sealed record EntryStamp(long Size, long MtimeTicks);

/// <summary>
/// features/&lt;sha[0..2]&gt;/&lt;sha&gt;.&lt;set&gt;.r&lt;revision&gt;[.&lt;weights&gt;.deep].json: one file per (clip content, feature set and revision, CNN weights),
/// written atomically, so a crash mid-clip leaves no entry and shards never touch each other's files. The one owner of
/// the format: its path, its writer and its reader.
/// </summary>
public static class FeatureCache
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string PathFor(CorpusLayout layout, string sha256, string featureSet, bool deep) =>
        Path.Combine(layout.FeaturesDir, sha256[..2], sha256 + Suffix(featureSet, deep));

    /// <summary>What follows the clip's SHA-256 in an entry's file name.</summary>
    private static string Suffix(string featureSet, bool deep) =>
        $".{featureSet}.r{ClipFeatures.Revision}{(deep ? $".{DeepFeaturizer.WeightsTag}.deep" : "")}.json";

    /// <summary>
    /// Every entry of <paramref name="featureSet"/> (deep or not) in the cache, by clip SHA-256, with its size and mtime
    /// (<see cref="FileListing"/>): what tells an entry written since the caller last looked from one it already knows,
    /// without opening 150,000 files.
    /// </summary>
    internal static IReadOnlyDictionary<string, EntryStamp> List(CorpusLayout layout, string featureSet, bool deep, FolderFiles? listed = null)
    {
        if (!Directory.Exists(layout.FeaturesDir)) return new Dictionary<string, EntryStamp>();
        var suffix = Suffix(featureSet, deep);
        var entries = new Dictionary<string, EntryStamp>(StringComparer.Ordinal);
        foreach (var f in FileListing.Of(layout.FeaturesDir, name => name.Length == 64 + suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal), listed))
            entries[Path.GetFileName(f.FullPath)[..64]] = new EntryStamp(f.Length, f.MtimeTicks);
        return entries;
    }

    public static Task WriteAsync(CorpusLayout layout, ClipFeatures features, CancellationToken ct = default) =>
        AtomicFile.WriteAllBytesAsync(PathFor(layout, features.SrcSha256, features.FeatureSet, features.Deep),
            JsonSerializer.SerializeToUtf8Bytes(features, Json), ct);

    /// <summary>
    /// The entry, or null when it is absent or unreadable (torn, not JSON), so the clip is computed again. A forward-only
    /// <see cref="Utf8JsonReader"/> over a pooled buffer: measured on 1,070-feature entries, deserialising into
    /// <see cref="ClipFeatures"/> spends about 3 ms per entry filling its SortedDictionary and this about 0.5 ms, the
    /// difference between minutes and seconds for KonViD-150k. The read is synchronous: callers read thousands of
    /// entries from parallel loops, and an asynchronous open and read of a small file costs thread-pool hand-offs worth
    /// more than the read (Features checking 150,000 entries: 1.9 s asynchronous, 1.45 s synchronous).
    /// </summary>
    internal static FeatureEntry? TryRead(CorpusLayout layout, string sha256, string featureSet, bool deep, FeatureRead read = FeatureRead.Features)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try { handle = File.OpenHandle(PathFor(layout, sha256, featureSet, deep)); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        using (handle)
        {
            var length = (int)RandomAccess.GetLength(handle);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var done = 0;
                while (done < length && RandomAccess.Read(handle, buffer.AsSpan(done, length - done), done) is var n && n > 0) done += n;
                try { return Parse(buffer.AsSpan(0, done), read); }
                catch (JsonException) { return null; }
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
        }
    }

    /// <summary>
    /// The names of the last entry read. Every entry of a feature set repeats the same names in the same order, so
    /// comparing bytes against these spares allocating ~1,000 strings per clip; a mismatch only costs the allocation.
    /// </summary>
    private static volatile NameTemplate? _template;

    private sealed record NameTemplate(string[] Names, byte[][] Utf8);

    internal static FeatureEntry? Parse(ReadOnlySpan<byte> json, FeatureRead read = FeatureRead.Features)
    {
        var r = new Utf8JsonReader(json);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
        List<KeyValuePair<string, double>>? features = null;
        var hasFeatures = false;
        string? error = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("features"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                if (r.TokenType != JsonTokenType.StartObject) return null;
                hasFeatures = true;
                if (read == FeatureRead.StateOnly) r.Skip();
                else features = ReadFeatures(ref r);
            }
            else if (r.ValueTextEquals("error"u8))
            {
                r.Read();
                error = r.TokenType == JsonTokenType.String ? r.GetString() : null;
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }
        if (error is null && !hasFeatures) return null;
        if (error is not null || features is null) return new FeatureEntry(null, error);
        var sorted = features.ToArray();
        if (!IsOrdinalSorted(sorted)) Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new FeatureEntry(sorted, null);
    }

    /// <summary>The properties of a features object, the reader on its start, in the order written.</summary>
    internal static List<KeyValuePair<string, double>> ReadFeatures(ref Utf8JsonReader r)
    {
        var template = _template;
        var matched = template is not null;
        var features = new List<KeyValuePair<string, double>>(template?.Names.Length ?? 64);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var i = features.Count;
            string name;
            if (matched && i < template!.Names.Length && r.ValueTextEquals(template.Utf8[i])) name = template.Names[i];
            else
            {
                matched = false;
                name = r.GetString()!;
            }
            r.Read();
            features.Add(new(name, Value(ref r)));
        }
        if (!matched || features.Count != template!.Names.Length)
        {
            var names = features.Select(f => f.Key).ToArray();
            _template = new NameTemplate(names, [.. names.Select(System.Text.Encoding.UTF8.GetBytes)]);
        }
        return features;
    }

    /// <summary>A number, or NaN for anything else ("NaN" written as a string, null), which the caller records as a loss.</summary>
    private static double Value(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.Number => r.GetDouble(),
        JsonTokenType.String when double.TryParse(r.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => double.NaN,
    };

    private static bool IsOrdinalSorted(KeyValuePair<string, double>[] items)
    {
        for (var i = 1; i < items.Length; i++)
            if (string.CompareOrdinal(items[i - 1].Key, items[i].Key) >= 0) return false;
        return true;
    }
}
