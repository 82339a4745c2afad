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

    public static Task WriteAsync(CorpusLayout layout, ClipFeatures features, CancellationToken ct = default) =>
        AtomicFile.WriteAllBytesAsync(PathFor(layout, features.SrcSha256, features.FeatureSet, features.Deep),
            JsonSerializer.SerializeToUtf8Bytes(features, Json), ct);
}
