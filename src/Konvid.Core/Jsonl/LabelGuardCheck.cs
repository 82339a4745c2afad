using Konvid.Core.Corpora;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// Like the reference's guards: a score file far off the corpus's size is almost always the other corpus's
/// file (a KoNViD-1k run fed k150ka_scores.csv, or the reverse), so the run stops and names the right phase.
/// </summary>
internal static class LabelGuardCheck
{
    public static void Check(Catalog catalog, IReadOnlyList<(string File, int Rows)> files, bool ignore, IProgressReporter progress)
    {
        var count = files.Sum(f => f.Rows);
        var guard = catalog.Labels;
        if (count >= guard.Min && count <= guard.Max) return;
        var names = string.Join(" + ", files.Select(f => f.File));
        var problem = $"{names} {(files.Count == 1 ? "has" : "have")} {count:N0} labels, outside {guard.Min:N0}-{guard.Max:N0} " +
                      $"for {catalog.Name} (corpora/{catalog.Name}.yaml labels): {Likely(count)}";
        if (ignore)
        {
            progress.Warn(problem + " (going on: --ignore-label-guard)");
            return;
        }
        throw new KonvidException(problem, Hint(count, catalog.Name));
    }

    private static string Likely(int count) => count switch
    {
        >= 100_000 => "that is KonViD-150k",
        >= 1_000 and <= 2_000 => "that is KoNViD-1k",
        _ when count == 0 => "the score file is empty",
        _ => "that is neither KoNViD-1k (1,200) nor KonViD-150k (about 156,000)",
    };

    private static string Hint(int count, string corpus) => count switch
    {
        >= 100_000 when corpus != "konvid-150k" => "run Phase2 (--corpus konvid-150k), or --ignore-label-guard",
        >= 1_000 and <= 2_000 when corpus != "konvid-1k" => "run Phase1 (--corpus konvid-1k), or --ignore-label-guard",
        _ => $"check the scores entries of corpora/{corpus}.yaml, or --ignore-label-guard",
    };
}
