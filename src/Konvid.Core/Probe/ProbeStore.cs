using System.Text;
using System.Text.Json;
using Konvid.Core.Workspace;

namespace Konvid.Core.Probe;

/// <summary>
/// probe.jsonl (or probe.shard-I-of-N.jsonl for a shard, so shards never append to the same file): one
/// <see cref="ProbeResult"/> per line, keyed by src_sha256. Readers take the union of all of them.
/// </summary>
public static class ProbeStore
{
    /// <summary>The version of a probe.jsonl line (<see cref="ProbeResult"/>) and of how its fields are read. Bump it when either changes.</summary>
    public const string FormatVersion = "1";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string PathFor(CorpusLayout layout, Shard shard) =>
        shard.IsAll ? layout.ProbeJsonl : Path.Combine(layout.Root, $"probe.{shard.Tag}.jsonl");

    /// <summary>Every probe file there is (the unsharded one and each shard's), in the order readers take them.</summary>
    public static IEnumerable<string> Files(CorpusLayout layout) => Directory.Exists(layout.Root)
        ? Directory.EnumerateFiles(layout.Root, "probe*.jsonl").Order(StringComparer.Ordinal)
        : [];

    /// <summary>All results of every probe file, last line per sha256 winning. A torn last line (crash mid-append) is ignored.</summary>
    public static async Task<IReadOnlyDictionary<string, ProbeResult>> ReadAllAsync(CorpusLayout layout, CancellationToken ct = default)
    {
        var results = new Dictionary<string, ProbeResult>(StringComparer.Ordinal);
        foreach (var file in Files(layout))
            await foreach (var line in File.ReadLinesAsync(file, ct))
                if (TryParse(line) is { } r) results[r.SrcSha256] = r;
        return results;
    }

    /// <summary>Opens the shard's probe file for appending, first cutting off a torn last line left by a crash.</summary>
    public static async Task<ProbeAppender> OpenAppendAsync(CorpusLayout layout, Shard shard, CancellationToken ct = default)
    {
        var path = PathFor(layout, shard);
        Directory.CreateDirectory(layout.Root);
        if (File.Exists(path))
        {
            var bytes = await File.ReadAllBytesAsync(path, ct);
            var keep = Array.LastIndexOf(bytes, (byte)'\n') + 1;
            if (keep != bytes.Length)
                await using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write)) fs.SetLength(keep);
        }
        return new ProbeAppender(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    internal static string Serialize(ProbeResult result) => JsonSerializer.Serialize(result, Json);

    private static ProbeResult? TryParse(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try { return JsonSerializer.Deserialize<ProbeResult>(line, Json); }
        catch (JsonException) { return null; }
    }
}

/// <summary>Appends one line per result, flushed at once so a kill loses at most the line being written.</summary>
public sealed class ProbeAppender(FileStream stream) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task AppendAsync(ProbeResult result, CancellationToken ct = default)
    {
        var bytes = Encoding.UTF8.GetBytes(ProbeStore.Serialize(result) + "\n");
        await _gate.WaitAsync(ct);
        try
        {
            await stream.WriteAsync(bytes, ct);
            await stream.FlushAsync(ct);
        }
        finally { _gate.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        _gate.Dispose();
    }
}
