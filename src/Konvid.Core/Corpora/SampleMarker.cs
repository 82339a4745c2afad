using System.Text.Json;
using Konvid.Core.Workspace;

namespace Konvid.Core.Corpora;

/// <summary>
/// sample-origin.json, written last into the origin: what was made (options fingerprint, mapping, clips) and the
/// size and SHA-256 of each zip. An origin is complete only when this file is there and the zips still match it.
/// </summary>
internal sealed record SampleMarker(
    string Generator,
    string Fingerprint,
    SampleMosMapping Mapping,
    IReadOnlyList<SampleMarkerFile> Files,
    IReadOnlyList<SampleClip> Clips)
{
    public const string FileName = "sample-origin.json";

    /// <summary>Bumped whenever scenes, variants or encoding change, so an origin made by older code is rebuilt.</summary>
    public const string CurrentGenerator = "konvid-sample/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>The marker of a complete origin made for <paramref name="fingerprint"/>, or null when anything is missing, changed or unreadable.</summary>
    public static async Task<SampleMarker?> ReadCompleteAsync(string dir, string fingerprint, CancellationToken ct)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return null;
        SampleMarker? marker;
        try
        {
            await using var stream = File.OpenRead(path);
            marker = await JsonSerializer.DeserializeAsync<SampleMarker>(stream, Json, ct);
        }
        catch (JsonException) { return null; }
        if (marker is null || marker.Generator != CurrentGenerator || marker.Fingerprint != fingerprint || marker.Files is null || marker.Clips is null)
            return null;
        foreach (var file in marker.Files)
        {
            var full = Path.Combine(dir, file.Name);
            if (!File.Exists(full) || new FileInfo(full).Length != file.Size || await FileHasher.Sha256Async(full, ct: ct) != file.Sha256) return null;
        }
        return marker;
    }

    public static async Task<SampleMarkerFile> DescribeAsync(string path, CancellationToken ct) =>
        new(Path.GetFileName(path), new FileInfo(path).Length, await FileHasher.Sha256Async(path, ct: ct));
}

internal sealed record SampleMarkerFile(string Name, long Size, string Sha256);
