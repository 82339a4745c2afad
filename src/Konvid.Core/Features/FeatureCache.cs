using System.Text.Json;
using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>
/// features/&lt;sha[0..2]&gt;/&lt;sha&gt;.&lt;set&gt;[.deep].json: one file per (clip content, feature set, deep on/off),
/// written atomically, so a crash mid-clip leaves no entry and shards never touch each other's files.
/// </summary>
public static class FeatureCache
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string PathFor(CorpusLayout layout, string sha256, string featureSet, bool deep) =>
        Path.Combine(layout.FeaturesDir, sha256[..2], $"{sha256}.{featureSet}{(deep ? ".deep" : "")}.json");

    public static async Task<ClipFeatures?> TryReadAsync(CorpusLayout layout, string sha256, string featureSet, bool deep, CancellationToken ct = default)
    {
        var path = PathFor(layout, sha256, featureSet, deep);
        if (!File.Exists(path)) return null;
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<ClipFeatures>(stream, Json, ct);
        }
        catch (JsonException) { return null; }
    }

    /// <summary>
    /// Whether an entry is there and, if it records a failure, its reason, without materialising its features: deciding
    /// what to compute must cost a file read per clip, not a deserialisation (a no-op over 150k entries).
    /// Null means no usable entry (missing or unreadable), so the clip is computed again.
    /// </summary>
    public static async Task<CachedState?> TryReadStateAsync(CorpusLayout layout, string sha256, string featureSet, bool deep, CancellationToken ct = default)
    {
        var path = PathFor(layout, sha256, featureSet, deep);
        if (!File.Exists(path)) return null;
        byte[] bytes;
        try { bytes = await File.ReadAllBytesAsync(path, ct); }
        catch (FileNotFoundException) { return null; }
        return ParseState(bytes);
    }

    private static CachedState? ParseState(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            string? error = null;
            var hasFeatures = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "error" && reader.TokenType == JsonTokenType.String) error = reader.GetString();
                else if (name == "features" && reader.TokenType == JsonTokenType.StartObject) hasFeatures = true;
                reader.Skip();
            }
            return error is not null || hasFeatures ? new CachedState(error) : null;
        }
        catch (JsonException) { return null; }
    }

    public static Task WriteAsync(CorpusLayout layout, ClipFeatures features, CancellationToken ct = default) =>
        AtomicFile.WriteAllBytesAsync(PathFor(layout, features.SrcSha256, features.FeatureSet, features.Deep),
            JsonSerializer.SerializeToUtf8Bytes(features, Json), ct);
}

/// <summary>A cache entry's outcome: features are there (<see cref="Error"/> null), or the clip failed for that reason.</summary>
public sealed record CachedState(string? Error)
{
    public bool Ok => Error is null;
}
