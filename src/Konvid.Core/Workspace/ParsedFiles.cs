using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Konvid.Core.Workspace;

/// <summary>
/// The last parse of a file, by the SHA-256 of its bytes: the stages of one build read manifest.sha256 and probe.jsonl
/// in turn, 150,000 lines each at KonViD-150k's size, and parsing them is what costs (a few tenths of a second and
/// 150,000 objects each time), not reading and hashing the bytes (about 20 ms). A parse handed out is shared: immutable.
/// </summary>
internal static class ParsedFiles
{
    /// <summary>Few files are parsed this way; past this many kinds and paths (tests make thousands) the memory is dropped.</summary>
    private const int Kept = 16;

    private static readonly ConcurrentDictionary<string, (byte[] Digest, object Parsed)> Last = new(StringComparer.Ordinal);

    /// <summary>The parse of <paramref name="content"/> kept under <paramref name="key"/>, or <paramref name="parse"/>'s, then kept.</summary>
    public static T Get<T>(string key, ReadOnlySpan<byte> content, Func<T> parse) where T : class
    {
        var digest = SHA256.HashData(content);
        if (Last.TryGetValue(key, out var kept) && kept.Parsed is T hit && kept.Digest.AsSpan().SequenceEqual(digest)) return hit;
        var parsed = parse();
        if (Last.Count >= Kept) Last.Clear();
        Last[key] = (digest, parsed);
        return parsed;
    }

    /// <summary>
    /// The parse of an append-only file of lines (probe.jsonl): when its bytes start with the complete lines parsed last
    /// time, only the lines after them are parsed, by <paramref name="parse"/>, and appended to the kept parse. A last
    /// line without its newline is parsed every time and not kept: a writer may still be on it.
    /// </summary>
    public static IReadOnlyList<T> GetLines<T>(string key, byte[] content, Func<byte[], Range, IReadOnlyList<T>> parse)
    {
        var whole = content.AsSpan().LastIndexOf((byte)'\n') + 1;
        var (from, kept) = (0, (IReadOnlyList<T>)[]);
        if (Last.TryGetValue(key, out var last) && last.Parsed is Lines<T> lines && lines.Length <= whole
            && SHA256.HashData(content.AsSpan(0, lines.Length)).AsSpan().SequenceEqual(last.Digest))
            (from, kept) = (lines.Length, lines.Items);
        var items = from == whole ? kept : [.. kept, .. parse(content, from..whole)];
        if (Last.Count >= Kept) Last.Clear();
        Last[key] = (SHA256.HashData(content.AsSpan(0, whole)), new Lines<T>(whole, items));
        return whole == content.Length ? items : [.. items, .. parse(content, whole..)];
    }

    private sealed record Lines<T>(int Length, IReadOnlyList<T> Items);
}
