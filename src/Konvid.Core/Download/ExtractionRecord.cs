using System.Text.Json;
using System.Text.Json.Serialization;
using Konvid.Core.Workspace;

namespace Konvid.Core.Download;

/// <summary>
/// downloads/&lt;archive&gt;.extracted.json, written when an archive has been extracted completely: the files it
/// produced (path relative to the unpack folder, size), the entries it refused and the unpack folder. A later run
/// that finds every file in place skips the archive without opening it, even after Verify deleted the archive to save
/// space (<see cref="Suffix"/> is how Verify finds the records).
/// </summary>
internal sealed record ExtractionRecord(
    [property: JsonPropertyName("archive_size")] long ArchiveSize,
    [property: JsonPropertyName("files")] IReadOnlyList<ExtractedFile> Files,
    [property: JsonPropertyName("refused")] IReadOnlyList<RefusedEntry> Refused)
{
    public const string Suffix = ".extracted.json";

    /// <summary>The unpack folder relative to the corpus folder (e.g. "clips"); null in records written before it was kept.</summary>
    [JsonPropertyName("unpack_to")]
    public string? UnpackTo { get; init; }

    public static string PathFor(string archive) => archive + Suffix;

    public static async Task<ExtractionRecord?> LoadAsync(string archive, CancellationToken ct)
    {
        var path = PathFor(archive);
        if (!File.Exists(path)) return null;
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync(stream, ExtractionJson.Default.ExtractionRecord, ct);
        }
        catch (JsonException)
        {
            return null; // derived state: a damaged record only costs a resumable re-extraction
        }
    }

    public Task SaveAsync(string archive, CancellationToken ct) =>
        AtomicFile.WriteAllTextAsync(PathFor(archive), JsonSerializer.Serialize(this, ExtractionJson.Default.ExtractionRecord) + "\n", ct);

    /// <summary>
    /// Files of this record that are missing from <paramref name="target"/> or have another size: as <paramref name="listed"/>
    /// saw them when it covers the folder, else one stat per file split across cores (KonViD-150k's set A holds 150,000
    /// and is checked on every Download).
    /// </summary>
    public int CountMissing(string target, FolderFiles? listed)
    {
        if (listed is not null && listed.Covers(target))
            return Files.Count(f => listed.Find(Path.GetFullPath(Path.Combine(target, f.Path))) is not { } seen || seen.Length != f.Size);
        var missing = 0;
        Parallel.ForEach(Files, () => 0, (f, _, n) => new FileInfo(Path.Combine(target, f.Path)) is { Exists: true } info && info.Length == f.Size ? n : n + 1,
            n => Interlocked.Add(ref missing, n));
        return missing;
    }
}

internal sealed record ExtractedFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size")] long Size);

internal sealed record RefusedEntry(
    [property: JsonPropertyName("entry")] string Entry,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>The record's reader and writer, generated at compile time: KonViD-150k's set A lists 150,000 files, read on every Download.</summary>
[JsonSerializable(typeof(ExtractionRecord))]
internal sealed partial class ExtractionJson : JsonSerializerContext;
