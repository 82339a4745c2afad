using Konvid.Core.Corpora;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// Like the reference's guards: a score file far off the corpus's size is almost always another corpus's file (a
/// KoNViD-1k run fed k150ka_scores.csv, or the reverse) or part of one (only set B's scores, as much public code
/// ships them), so the run stops, says what the count fits, and gives the way out that works for that case.
/// </summary>
internal static class LabelGuardCheck
{
    /// <summary>The published sizes (KONVID.md), with room for the copies that drop or add a few rows.</summary>
    private enum Fit { Nothing, Empty, Konvid1k, K150kSetB, K150k }

    public static void Check(Catalog catalog, IReadOnlyList<(string File, int Rows)> files, bool ignore, IProgressReporter progress)
    {
        var count = files.Sum(f => f.Rows);
        var guard = catalog.Labels;
        if (count >= guard.Min && count <= guard.Max) return;
        var names = string.Join(" + ", files.Select(f => f.File));
        var fit = FitOf(count);
        var problem = $"{names} {(files.Count == 1 ? "has" : "have")} {count:N0} labels, outside {guard.Min:N0}-{guard.Max:N0} " +
                      $"for {catalog.Name} (corpora/{catalog.Name}.yaml labels): {Describe(fit)}";
        if (ignore)
        {
            progress.Warn(problem + " (going on: --ignore-label-guard)");
            return;
        }
        throw new KonvidException(problem, Hint(fit, catalog.Name));
    }

    private static Fit FitOf(int count) => count switch
    {
        0 => Fit.Empty,
        >= 1_100 and <= 1_300 => Fit.Konvid1k,
        >= 1_500 and <= 1_700 => Fit.K150kSetB,
        >= 150_000 and <= 160_000 => Fit.K150k,
        _ => Fit.Nothing,
    };

    private static string Describe(Fit fit) => fit switch
    {
        Fit.Empty => "the score files hold no label at all",
        Fit.Konvid1k => "that fits KoNViD-1k (1,200 labels)",
        Fit.K150kSetB => "that fits KonViD-150k's set B alone (1,576-1,596 labels), not all of KonViD-150k",
        Fit.K150k => "that fits KonViD-150k (set A about 154,745 labels, with set B about 156,341)",
        _ => "that fits no known corpus: neither KoNViD-1k (1,200), KonViD-150k (about 156,341) nor one of its sets (A about 154,745, B 1,576-1,596)",
    };

    private static string Hint(Fit fit, string corpus) => (fit, corpus) switch
    {
        (Fit.Empty, _) => $"check that the scores entries of corpora/{corpus}.yaml name the label files (a failed Download leaves them empty?)",
        (Fit.Konvid1k, not "konvid-1k") => "run Phase1 (--corpus konvid-1k), or --ignore-label-guard to use these labels here",
        (Fit.K150k, not "konvid-150k") => "run Phase2 (--corpus konvid-150k), or --ignore-label-guard to use these labels here",
        (Fit.K150kSetB, "konvid-150k") =>
            "to build set B alone, add --ignore-label-guard (and --max-loss 100 if set A's clips are downloaded: they have no label here); " +
            "to build all of KonViD-150k, give set A's k150ka_scores.csv as well (corpora/konvid-150k.yaml scores)",
        (Fit.K150kSetB, _) => "run Phase2 --ignore-label-guard (--corpus konvid-150k) to build set B alone, or --ignore-label-guard to use these labels here",
        _ => $"check the scores entries of corpora/{corpus}.yaml, or --ignore-label-guard if these labels are right",
    };
}
