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
        var entries = new List<ManifestEntry>();
        var lineNo = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            lineNo++;
            if (line.Length == 0) continue;
            // sha256sum writes "<hex>  <path>" ("<hex> *<path>" in binary mode).
            if (line.Length < 66 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
                throw new KonvidException($"{path}:{lineNo}: not a sha256sum line", "regenerate it with `./build.sh Verify` or `sha256sum`");
            entries.Add(new ManifestEntry(line[..64].ToLowerInvariant(), line[66..]));
        }
        return entries;
    }

    public static Task WriteAsync(string path, IEnumerable<ManifestEntry> entries, CancellationToken ct = default)
    {
        var sb = new StringBuilder();
        foreach (var e in entries.OrderBy(e => e.RelativePath, StringComparer.Ordinal))
            sb.Append(e.Sha256).Append("  ").Append(e.RelativePath).Append('\n');
        return AtomicFile.WriteAllTextAsync(path, sb.ToString(), ct);
    }
}
