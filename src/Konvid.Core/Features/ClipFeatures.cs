using System.Text.Json.Serialization;

namespace Konvid.Core.Features;

/// <summary>
/// The features of one clip for one feature set, or the reason there are none (<see cref="Error"/>, which makes
/// the clip attrition). Names follow <c>&lt;measure&gt;_&lt;stat&gt;</c>; the sorted dictionary keeps output deterministic.
/// </summary>
public sealed record ClipFeatures(
    [property: JsonPropertyName("src_sha256")] string SrcSha256,
    [property: JsonPropertyName("feature_set")] string FeatureSet,
    [property: JsonPropertyName("deep")] bool Deep,
    [property: JsonPropertyName("features")] SortedDictionary<string, double>? Features,
    [property: JsonPropertyName("error")] string? Error = null)
{
    public const string CurrentSet = "nr-v1";

    /// <summary>
    /// How nr-v1 is computed, apart from its names: 2 decodes full-range clips once and makes decode errors
    /// attrition. Rows keep saying nr-v1; the cache and the fingerprints carry the revision, so entries made by
    /// older code are computed again instead of being served.
    /// </summary>
    public const int Revision = 2;

    [JsonIgnore]
    public bool Ok => Error is null && Features is not null;
}
