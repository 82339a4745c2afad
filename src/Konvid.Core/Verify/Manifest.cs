using System.Text;
using Konvid.Core.Workspace;

namespace Konvid.Core.Verify;

/// <summary>One line of manifest.sha256: a clip's digest and its path relative to the corpus folder ("clips/...").</summary>
public sealed record ManifestEntry(string Sha256, string RelativePath)
{
    /// <summary>The clip's file name: the reference format's <c>src</c> and the id that shards and held-out folds hash.</summary>
    public string ClipId => Path.GetFileName(RelativePath);
}

/// <summary>manifest.sha256 in sha256sum's format, so <c>sha256sum -c manifest.sha256</c> passes in the corpus folder.</summary>
public static class Manifest
{
    public static async Task<IReadOnlyList<ManifestEntry>> ReadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) return [];
        var bytes = await File.ReadAllBytesAsync(path, ct);
        return ParsedFiles.Get("manifest:" + Path.GetFullPath(path), bytes, () => Parse(path, bytes));
    }

    private static IReadOnlyList<ManifestEntry> Parse(string path, byte[] bytes)
    {
        var entries = new List<ManifestEntry>(bytes.Length / 120);
        var text = bytes.AsSpan();
        if (text.StartsWith(Encoding.UTF8.Preamble)) text = text[Encoding.UTF8.Preamble.Length..];
        var lineNo = 0;
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            lineNo++;
            if (line.EndsWith("\r"u8)) line = line[..^1];
            if (line.IsEmpty) continue;
            // sha256sum writes "<hex>  <path>" ("<hex> *<path>" in binary mode).
            if (line.Length < 66 || line[64] != (byte)' ' || (line[65] != (byte)' ' && line[65] != (byte)'*'))
                throw new KonvidException($"{path}:{lineNo}: not a sha256sum line", "regenerate it with `./build.sh Verify` or `sha256sum`");
            entries.Add(new ManifestEntry(Encoding.UTF8.GetString(line[..64]).ToLowerInvariant(), Encoding.UTF8.GetString(line[66..])));
        }
        return entries;
    }

    /// <summary>Writes the manifest sorted by path; the next read of these bytes in this process takes <paramref name="entries"/> as they are.</summary>
    public static async Task WriteAsync(string path, IEnumerable<ManifestEntry> entries, CancellationToken ct = default)
    {
        var sorted = entries.OrderBy(e => e.RelativePath, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        foreach (var e in sorted)
            sb.Append(e.Sha256).Append("  ").Append(e.RelativePath).Append('\n');
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        await AtomicFile.WriteAllBytesAsync(path, bytes, ct);
        ParsedFiles.Get("manifest:" + Path.GetFullPath(path), bytes, () => (IReadOnlyList<ManifestEntry>)sorted);
    }
}
