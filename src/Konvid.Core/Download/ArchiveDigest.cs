using System.Text.Json;
using System.Text.Json.Serialization;
using Konvid.Core.Workspace;

namespace Konvid.Core.Download;

/// <summary>
/// downloads/&lt;archive&gt;.digest.json: the size and SHA-256 an archive had when it was first downloaded. The KonViD
/// servers publish no checksums, so this is what a later re-download (after Verify deleted the archive and a clip went
/// missing) is held to: a server copy that changed in between must not be mixed into the clips of the first one.
/// </summary>
internal sealed record ArchiveDigest(
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256)
{
    public static string PathFor(string archive) => archive + ".digest.json";

    /// <summary>Where a re-download that differs from the first one is kept apart, never extracted.</summary>
    public static string DiffersPath(string archive) => archive + ".differs";

    public static async Task<ArchiveDigest> OfAsync(string file, CancellationToken ct) =>
        new(new FileInfo(file).Length, await FileHasher.Sha256Async(file, null, ct));

    public static async Task<ArchiveDigest?> LoadAsync(string file, CancellationToken ct)
    {
        var path = PathFor(file);
        if (!File.Exists(path)) return null;
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<ArchiveDigest>(stream, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            throw new KonvidException($"Download: {path} is not a valid archive digest ({e.Message})",
                "delete it; the archive's next download is then recorded as its first");
        }
    }

    public Task SaveAsync(string file, CancellationToken ct) =>
        AtomicFile.WriteAllTextAsync(PathFor(file), JsonSerializer.Serialize(this) + "\n", ct);

    public bool SameContent(ArchiveDigest other) =>
        Size == other.Size && string.Equals(Sha256, other.Sha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>The one-line report of a re-download that differs from the first one.</summary>
    public static KonvidException Differs(string archive, ArchiveDigest first, ArchiveDigest now)
    {
        var name = Path.GetFileName(archive);
        return new KonvidException(
            $"Download: {name}: the new download differs from the first one (first {first.Size} bytes, sha256 {first.Sha256}; "
            + $"now {now.Size} bytes, sha256 {now.Sha256}); kept apart as {DiffersPath(archive)}, nothing extracted",
            $"the server's copy changed, and clips of two copies must not be mixed: to keep the first copy's clips, delete {DiffersPath(archive)} "
            + $"and fetch the first copy from a mirror that still has it (--mirror); to switch to the new copy, delete clips/, {PathFor(archive)} and {ExtractionRecord.PathFor(archive)}, "
            + $"move {DiffersPath(archive)} to {archive} and re-run");
    }
}
