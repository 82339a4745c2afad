using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>A feature cache entry as Jsonl needs it: the features in ordinal name order, or the error that made the clip a loss.</summary>
internal sealed record FeatureEntry(KeyValuePair<string, double>[]? Features, string? Error);

/// <summary>
/// Reads <see cref="FeatureCache"/> entries with a forward-only <see cref="Utf8JsonReader"/>. Measured on 1,070-feature
/// entries, <see cref="FeatureCache.TryReadAsync"/> spends about 3 ms per entry filling its SortedDictionary (string
/// comparer) and this about 0.5 ms: the difference between minutes and seconds for KonViD-150k. Same file format
/// (ClipFeatures' property names); a test holds the two readers equal.
/// </summary>
internal static class FeatureEntryReader
{
    /// <summary>Null when the entry is absent or unreadable (torn, not JSON), like <see cref="FeatureCache.TryReadAsync"/>.</summary>
    public static async Task<FeatureEntry?> TryReadAsync(CorpusLayout layout, string sha256, string featureSet, bool deep, CancellationToken ct = default)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try { handle = File.OpenHandle(FeatureCache.PathFor(layout, sha256, featureSet, deep), options: FileOptions.Asynchronous); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        using (handle)
        {
            var length = (int)RandomAccess.GetLength(handle);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var read = 0;
                while (read < length && await RandomAccess.ReadAsync(handle, buffer.AsMemory(read, length - read), read, ct) is var n && n > 0) read += n;
                try { return Parse(buffer.AsSpan(0, read)); }
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

    public static FeatureEntry? Parse(ReadOnlySpan<byte> json)
    {
        var r = new Utf8JsonReader(json);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
        List<KeyValuePair<string, double>>? features = null;
        string? error = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("features"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                if (r.TokenType != JsonTokenType.StartObject) return null;
                var template = _template;
                var matched = template is not null;
                features = new List<KeyValuePair<string, double>>(template?.Names.Length ?? 64);
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
        if (error is null && features is null) return null;
        var sorted = features?.ToArray();
        if (sorted is not null && !IsOrdinalSorted(sorted)) Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new FeatureEntry(error is null ? sorted : null, error);
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
