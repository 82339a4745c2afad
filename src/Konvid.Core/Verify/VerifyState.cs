using System.Text.Json;
using System.Text.Json.Serialization;
using Konvid.Core.Workspace;

namespace Konvid.Core.Verify;

/// <summary>
/// .verify-state.json next to manifest.sha256: the size, mtime and digest of each clip when it was last hashed, so
/// an unchanged file is not hashed again. A file modified within <see cref="RacyWindow"/> of the run that hashed it
/// could change again without its mtime moving (coarse timestamps), so it is hashed once more next time.
/// </summary>
internal sealed record VerifyState(
    [property: JsonPropertyName("verified_at_ticks")] long VerifiedAtTicks,
    [property: JsonPropertyName("files")] IReadOnlyDictionary<string, VerifiedFile> Files)
{
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    public static string PathFor(CorpusLayout layout) => layout.VerifyState;

    public static async Task<VerifyState> LoadAsync(CorpusLayout layout, CancellationToken ct)
    {
        var path = PathFor(layout);
        var empty = new VerifyState(0, new Dictionary<string, VerifiedFile>());
        if (!File.Exists(path)) return empty;
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync(stream, VerifyStateJson.Default.VerifyState, ct) ?? empty;
        }
        catch (JsonException)
        {
            return empty; // a cache: losing it costs one full re-hash, never a wrong answer
        }
    }

    public Task SaveAsync(CorpusLayout layout, CancellationToken ct) =>
        AtomicFile.WriteAllTextAsync(PathFor(layout), JsonSerializer.Serialize(this, VerifyStateJson.Default.VerifyState) + "\n", ct);

    /// <summary>The recorded digest when the file still has the size and mtime it had when hashed.</summary>
    public string? Trusted(string relativePath, long size, long mtimeTicks) =>
        Files.TryGetValue(relativePath, out var known)
        && known.Size == size
        && known.MtimeTicks == mtimeTicks
        && known.MtimeTicks < VerifiedAtTicks - RacyWindow.Ticks
            ? known.Sha256
            : null;
}

internal sealed record VerifiedFile(
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("mtime_ticks")] long MtimeTicks,
    [property: JsonPropertyName("sha256")] string Sha256);

/// <summary>The state's reader and writer, generated at compile time: 150,000 clips at KonViD-150k's size, read and written on every Verify.</summary>
[JsonSerializable(typeof(VerifyState))]
internal sealed partial class VerifyStateJson : JsonSerializerContext;
