using Konvid.Core.Download;
using Konvid.Core.Workspace;

namespace Konvid.Core.Verify;

/// <summary>
/// The disk budget: an archive whose extraction is complete and every file of which Verify has just accepted is
/// deleted (KonViD-150k's set A is ~176 GB on top of the ~150 GB of clips it holds). Its extraction record stays, so
/// Download knows what the archive produced, stays up to date without it and fetches it again only when one of
/// those clips goes missing (deleted, or quarantined by a later Verify).
/// </summary>
internal static class ArchivePruner
{
    public sealed record Pruned(string Archive, long Bytes);

    /// <param name="verified">Files that passed this Verify run, keyed by "clips/..." path.</param>
    public static async Task<IReadOnlyList<Pruned>> PruneAsync(CorpusLayout layout, IReadOnlyDictionary<string, VerifiedFile> verified,
        CancellationToken ct)
    {
        if (!Directory.Exists(layout.Downloads)) return [];
        var pruned = new List<Pruned>();
        foreach (var recordFile in Directory.EnumerateFiles(layout.Downloads, "*" + ExtractionRecord.Suffix).Order(StringComparer.Ordinal))
        {
            var archive = recordFile[..^ExtractionRecord.Suffix.Length];
            if (!File.Exists(archive) || await ExtractionRecord.LoadAsync(archive, ct) is not { } record) continue;
            if (ClipsPrefix(layout, record) is not { } prefix) continue;
            var size = new FileInfo(archive).Length;
            // A record of another copy of the archive proves nothing about this one.
            if (size != record.ArchiveSize) continue;
            if (!record.Files.All(f => verified.TryGetValue(prefix + f.Path, out var v) && v.Size == f.Size)) continue;
            File.Delete(archive);
            pruned.Add(new Pruned(Path.GetFileName(archive), size));
        }
        return pruned;
    }

    /// <summary>"clips/" plus the unpack folder below clips/, or null when the archive unpacks elsewhere (Verify hashes only clips/).</summary>
    private static string? ClipsPrefix(CorpusLayout layout, ExtractionRecord record)
    {
        if (record.UnpackTo is not { } unpackTo) return null;
        var relative = Path.GetRelativePath(layout.Clips, Path.GetFullPath(Path.Combine(layout.Root, unpackTo))).Replace('\\', '/');
        if (relative == ".") return "clips/";
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? null : $"clips/{relative}/";
    }
}
