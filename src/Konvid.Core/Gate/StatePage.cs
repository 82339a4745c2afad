using System.Globalization;
using System.Text;
using Konvid.Core.Train;

namespace Konvid.Core.Gate;

/// <summary>docs/state.md: the latest gate verdict, per-seed and mean held-out metrics, and the cross-validated PLCC.</summary>
internal static class StatePage
{
    public static string Render(VerdictDocument verdict, IReadOnlyList<ModelCard> cards)
    {
        var sb = new StringBuilder();
        var c = verdict.Corpus;
        sb.AppendLine("# Model state").AppendLine()
          .AppendLine(Inv($"Latest gate verdict: **{verdict.Verdict}** for `{verdict.Model}` on corpus `{c.Name}` {c.Version} ({c.Rows} rows, JSONL sha256 `{c.JsonlSha256[..16]}`), generated {verdict.GeneratedAtUtc}."))
          .AppendLine()
          .AppendLine("Held-out fold: clips whose SHA-256(id) falls below the holdout fraction; metrics are of the exported ONNX under ONNX Runtime.")
          .AppendLine()
          .AppendLine("| seed | trainer | n | PLCC | SROCC | KROCC | RMSE | PLCC (4-param logistic) |")
          .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var card in cards)
        {
            var m = card.Metrics;
            sb.AppendLine(Inv($"| {card.Recipe.Seed} | {card.Recipe.Trainer} | {m.N} | {m.Plcc:F4} | {m.Srocc:F4} | {m.Krocc:F4} | {m.Rmse:F4} | {m.PlccLogistic:F4} |"));
        }
        var mean = verdict.Mean;
        sb.AppendLine(Inv($"| **mean** | | {mean.N} | **{mean.Plcc:F4}** | **{mean.Srocc:F4}** | {mean.Krocc:F4} | **{mean.Rmse:F4}** | {mean.PlccLogistic:F4} |"))
          .AppendLine();
        sb.Append(Inv($"Held-out PLCC (mean over {cards.Count} seeds): **{mean.Plcc:F4}**"));
        sb.AppendLine(verdict.CrossValidation is { } cv
            ? Inv($"; {cv.Folds}-fold cross-validated PLCC: **{cv.PlccMean:F4}** +- {cv.PlccStd:F4} (pooled out-of-fold {cv.PooledPlcc:F4}; seed {cv.Seed}, {cv.Trainer}).")
            : "; no cross-validated PLCC (Train ran with fewer than 2 folds).");
        sb.AppendLine().AppendLine("| check | value | threshold | pass |").AppendLine("|---|---|---|---|");
        foreach (var check in verdict.Gate.Checks)
            sb.AppendLine(Inv($"| {check.Name} | {check.Value:F4} | {check.Comparison} {check.Threshold} | {(check.Pass ? "yes" : "**no**")} |"));
        sb.AppendLine().AppendLine($"Recommendation: {verdict.Recommendation}");
        return sb.ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
