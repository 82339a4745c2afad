using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
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

    public static string PathFor(CorpusLayout layout, Shard shard) =>
        shard.IsAll ? layout.ProbeJsonl : Path.Combine(layout.Root, $"probe.{shard.Tag}.jsonl");

    /// <summary>Every probe file there is (the unsharded one and each shard's), in the order readers take them.</summary>
    public static IEnumerable<string> Files(CorpusLayout layout) => Directory.Exists(layout.Root)
        ? Directory.EnumerateFiles(layout.Root, "probe*.jsonl").Order(StringComparer.Ordinal)
        : [];

    /// <summary>
    /// All results of every probe file, last line per sha256 winning. A torn last line (crash mid-append) is ignored.
    /// Every later stage reads all of them on every run, so lines are parsed from the file's bytes in parallel with a
    /// generated reader (about 6 us per line with the reflection reader, 0.9 s of each run at KonViD-150k's size), and
    /// lines this process parsed before are not parsed again (<see cref="ParsedFiles.GetLines{T}"/>).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, ProbeResult>> ReadAllAsync(CorpusLayout layout, CancellationToken ct = default)
    {
        var results = new Dictionary<string, ProbeResult>(StringComparer.Ordinal);
        foreach (var file in Files(layout))
        {
            var bytes = await File.ReadAllBytesAsync(file, ct);
            foreach (var r in ParsedFiles.GetLines("probe:" + Path.GetFullPath(file), bytes, (b, range) => Parse(b, range, ct)))
                results[r.SrcSha256] = r;
        }
        return results;
    }

    private static IReadOnlyList<ProbeResult> Parse(byte[] bytes, Range range, CancellationToken ct)
    {
        var (start, length) = range.GetOffsetAndLength(bytes.Length);
        var lines = LineRanges(bytes, start, start + length);
        var parsed = new ProbeResult?[lines.Count];
        Parallel.For(0, lines.Count, new ParallelOptions { CancellationToken = ct }, i => parsed[i] = TryParse(bytes.AsSpan(lines[i])));
        return parsed.OfType<ProbeResult>().ToList();
    }

    private static List<Range> LineRanges(byte[] bytes, int start, int stop)
    {
        var lines = new List<Range>((stop - start) / 256);
        while (start < stop)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start, stop - start);
            if (end < 0) end = stop;
            lines.Add(start..end);
            start = end + 1;
        }
        return lines;
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

    internal static string Serialize(ProbeResult result) => JsonSerializer.Serialize(result, ProbeJson.Default.ProbeResult);

    private static ProbeResult? TryParse(ReadOnlySpan<byte> line)
    {
        if (line.Trim(" \t\r"u8).IsEmpty) return null;
        try { return JsonSerializer.Deserialize(line, ProbeJson.Default.ProbeResult); }
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

/// <summary>The probe line's reader and writer, generated at compile time.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProbeResult))]
internal sealed partial class ProbeJson : JsonSerializerContext;
