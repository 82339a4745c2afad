using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Konvid.Core.Workspace;

namespace Konvid.Core.Download;

/// <summary>
/// .download-progress.json: per source and per clip, done or failed {reason, attempts, permanent}. Clip transfers
/// update it concurrently; it is rewritten atomically at most about once a second and at the end of a run. Losing the
/// last second to a kill is harmless: a finished file is recognised by its presence, a lost failure is just retried.
/// </summary>
internal sealed class DownloadProgressStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly ConcurrentDictionary<string, TransferState> _sources;
    private readonly ConcurrentDictionary<string, TransferState> _clips;
    private readonly SemaphoreSlim _saving = new(1, 1);
    private long _lastSaveTicks;

    private DownloadProgressStore(string path, Document doc)
    {
        _path = path;
        _sources = new(doc.Sources, StringComparer.Ordinal);
        _clips = new(doc.Clips, StringComparer.Ordinal);
    }

    public static async Task<DownloadProgressStore> LoadAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path)) return new(path, new Document(1, new Dictionary<string, TransferState>(), new Dictionary<string, TransferState>()));
        try
        {
            await using var stream = File.OpenRead(path);
            var doc = await JsonSerializer.DeserializeAsync<Document>(stream, Json, ct)
                      ?? throw new JsonException("empty document");
            return new(path, doc with { Sources = doc.Sources ?? new Dictionary<string, TransferState>(), Clips = doc.Clips ?? new Dictionary<string, TransferState>() });
        }
        catch (JsonException e)
        {
            throw new KonvidException($"Download: {path} is not a valid progress file ({e.Message})",
                "delete it; finished files are recognised on disk and only failures are forgotten");
        }
    }

    public TransferState? Source(string name) => _sources.GetValueOrDefault(name);

    public TransferState? Clip(string fileName) => _clips.GetValueOrDefault(fileName);

    public void SetSource(string name, TransferState state) => _sources[name] = state;

    public void SetClip(string fileName, TransferState state) => _clips[fileName] = state;

    /// <summary>Saves unless a save happened within the last second; for calls after every clip.</summary>
    public async Task SaveSoonAsync(CancellationToken ct)
    {
        if (Environment.TickCount64 - Interlocked.Read(ref _lastSaveTicks) < SaveInterval.TotalMilliseconds) return;
        if (!await _saving.WaitAsync(0, ct)) return;
        try { await WriteAsync(ct); }
        finally { _saving.Release(); }
    }

    public async Task SaveAsync(CancellationToken ct)
    {
        await _saving.WaitAsync(ct);
        try { await WriteAsync(ct); }
        finally { _saving.Release(); }
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        Interlocked.Exchange(ref _lastSaveTicks, Environment.TickCount64);
        var doc = new Document(1,
            new SortedDictionary<string, TransferState>(_sources, StringComparer.Ordinal),
            new SortedDictionary<string, TransferState>(_clips, StringComparer.Ordinal));
        await AtomicFile.WriteAllTextAsync(_path, JsonSerializer.Serialize(doc, Json) + "\n", ct);
    }

    private sealed record Document(
        [property: JsonPropertyName("schema_version")] int SchemaVersion,
        [property: JsonPropertyName("sources")] IDictionary<string, TransferState> Sources,
        [property: JsonPropertyName("clips")] IDictionary<string, TransferState> Clips);
}
