using System.Globalization;
using System.Text;
using Konvid.Core.Train;

namespace Konvid.Core.Gate;

/// <summary>
/// The state page (docs/state.md for the real corpora, &lt;work&gt;/sample/state.md for the sample): the latest gate
/// verdict, per-seed and mean held-out metrics, the cross-validated PLCC, the baselines beside the head, and the
/// history of earlier verdicts with the change against the last PROMOTE. It names no folder of the machine.
/// </summary>
internal static class StatePage
{
    /// <summary>Single-feature baselines shown on the page (best first); the verdict file holds them all.</summary>
    public const int FeaturesShown = 8;

    public static string Render(VerdictDocument verdict, IReadOnlyList<ModelCard> cards, IReadOnlyList<HistoryEntry> history)
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
        AppendBaselines(sb, verdict);
        AppendHistory(sb, history);
        return sb.ToString();
    }

    private static void AppendBaselines(StringBuilder sb, VerdictDocument verdict)
    {
        sb.AppendLine().AppendLine("## Baselines on the same held-out fold").AppendLine();
        if (verdict.Baselines is not { } b)
        {
            sb.AppendLine("None: the model reads no nr-v1 feature, or the fold is too small to measure them.");
            return;
        }
        var ensemble = verdict.PerSeed.Count > 0 ? verdict.Mean : null;
        sb.AppendLine(Inv($"What the head adds over the simple signals it is built from: each nr-v1 feature alone (signed on the {b.TrainRows} training rows so that higher means better; the {Math.Min(FeaturesShown, b.Features.Count)} best of {b.Features.Count} by SROCC, all in the verdict file) and a linear model on all nr-v1 features fitted on the training rows (ridge {Baselines.Ridge} on standardised features), on the {b.HeldOutRows} held-out rows."))
          .AppendLine()
          .AppendLine("| predictor | PLCC | SROCC | RMSE |")
          .AppendLine("|---|---|---|---|");
        if (ensemble is not null)
            sb.AppendLine(Inv($"| **{verdict.Model}** (mean over seeds) | **{ensemble.Plcc:F4}** | **{ensemble.Srocc:F4}** | {ensemble.Rmse:F4} |"));
        if (b.Linear is { } linear)
            sb.AppendLine(Inv($"| {linear.Name} | {linear.Plcc:F4} | {linear.Srocc:F4} | {linear.Rmse:F4} |"));
        foreach (var f in b.Features.Take(FeaturesShown))
            sb.AppendLine(Inv($"| {(f.Sign < 0 ? "-" : "+")}`{f.Name}` | {f.Plcc:F4} | {f.Srocc:F4} | |"));
    }

    private static void AppendHistory(StringBuilder sb, IReadOnlyList<HistoryEntry> history)
    {
        sb.AppendLine().AppendLine("## History").AppendLine();
        if (history.Count == 0) return;
        var latest = history[^1];
        if (MetricsHistory.LastPromoteBefore(history) is { } promoted)
        {
            sb.AppendLine(Inv($"Change against the last PROMOTE ({promoted.GeneratedAtUtc}, {promoted.Corpus} {promoted.Version}, {promoted.Rows} rows):"))
              .AppendLine()
              .AppendLine("| metric | last PROMOTE | latest | change |")
              .AppendLine("|---|---|---|---|");
            foreach (var (name, old, now) in new[] { ("PLCC", promoted.Plcc, latest.Plcc), ("SROCC", promoted.Srocc, latest.Srocc), ("RMSE", promoted.Rmse, latest.Rmse) })
                sb.AppendLine(Inv($"| {name} | {old:F4} | {now:F4} | {now - old:+0.0000;-0.0000;0.0000} |"));
        }
        else sb.AppendLine("No earlier PROMOTE to compare with.");
        sb.AppendLine().AppendLine("Earlier verdicts, newest first (mean over seeds on the held-out fold):").AppendLine();
        if (history.Count == 1)
        {
            sb.AppendLine("None yet: this is the first.");
            return;
        }
        sb.AppendLine("| date | corpus | rows | seeds | PLCC | SROCC | RMSE | verdict |").AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var e in history.Take(history.Count - 1).Reverse())
            sb.AppendLine(Inv($"| {e.GeneratedAtUtc} | {e.Corpus} {e.Version} | {e.Rows} | {e.Seeds} | {e.Plcc:F4} | {e.Srocc:F4} | {e.Rmse:F4} | {e.Verdict} |"));
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
