using Konvid.Core.Corpora;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// The most of a corpus a build may lose and still succeed, in percent, and who said so (the catalog's max_loss or
/// --max-loss). A corpus without rows never succeeds, whatever the ceiling: a pipeline that lost everything must not
/// go green.
/// </summary>
public sealed record LossCeiling(double Percent, string DeclaredBy)
{
    public static LossCeiling For(Catalog catalog, double? maxLoss) => maxLoss switch
    {
        null => new LossCeiling(catalog.MaxLossPercent, $"corpora/{catalog.Name}.yaml max_loss"),
        >= 0 and <= 100 => new LossCeiling(maxLoss.Value, "--max-loss"),
        _ => throw new KonvidException($"--max-loss {maxLoss} is not a percentage from 0 to 100",
            "e.g. --max-loss 10 lets up to 10 % of the clips and labels end in attrition"),
    };

    /// <summary>Jsonl: fails when the corpus has no rows or lost more than the ceiling.</summary>
    internal void CheckCorpus(LossTally tally, string attritionCsv)
    {
        var seeWhy = $"see {attritionCsv} for every loss";
        if (tally.Rows == 0)
            throw new KonvidException($"0 rows: all {tally.Lost:N0} clips and labels were lost ({tally.Reasons()})",
                $"{seeWhy}; a corpus without rows is never accepted, whatever --max-loss says");
        if (tally.Percent > Percent)
            throw new KonvidException(
                $"{tally.Lost:N0} of {tally.Units:N0} clips and labels lost ({tally.Percent:0.#} %), above the {Percent:0.##} % ceiling of {DeclaredBy}: {tally.Reasons()}",
                $"{seeWhy}; fix the cause and re-run, or accept this loss with --max-loss {Math.Ceiling(tally.Percent)}");
    }

    /// <summary>Train: fails when it had to skip more of the corpus's rows than the ceiling allows.</summary>
    internal void CheckTrainingRows(LossTally tally, string corpusJsonl)
    {
        if (tally.Percent <= Percent) return;
        throw new KonvidException(
            $"Train: {tally.Lost:N0} of {tally.Units:N0} rows of {Path.GetFileName(corpusJsonl)} skipped ({tally.Percent:0.#} %), above the {Percent:0.##} % ceiling of {DeclaredBy}: {tally.Reasons()}",
            $"re-run Jsonl so the corpus is whole again (see attrition.csv, stage Train), or accept this loss with --max-loss {Math.Ceiling(tally.Percent)}");
    }
}
