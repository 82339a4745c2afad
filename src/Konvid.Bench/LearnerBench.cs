using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// The learner families on real features with real MOS: 10-fold CV (the clip-id hash folds) of trees, kernel and auto
/// on the 60 published VIDEVAL features of YouTube-UGC, a cross-group check (train on half of its categories, test on
/// the others, both ways), and one kernel fit at its row cap at the real width (1,068 features). The YouTube-UGC file
/// lives outside the repository (../shared/real-features/); without it those rows are omitted with a note.
/// </summary>
internal static class LearnerBench
{
    /// <summary>The field's RBF SVR, grid-searched on the training folds, on the same file and folds (issue #14).</summary>
    public const double SvrCvPlcc = 0.760;

    private static readonly MosLearner[] Learners = [MosLearner.Trees, MosLearner.Kernel, MosLearner.Auto];

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var file = Path.GetFullPath(Path.Combine(context.Options.RepoRoot, "..", "shared", "real-features", "youtube-ugc-videval.jsonl"));
        if (File.Exists(file)) await RealFeaturesAsync(context, file, ct);
        else context.Log.Omitted.Add(new Omission("Learners on YouTube-UGC's VIDEVAL features", $"{file} is absent (it is not part of the repository)"));
        await KernelAtWidthAsync(context, ct);
    }

    private static async Task RealFeaturesAsync(BenchContext context, string file, CancellationToken ct)
    {
        var folds = context.Options.Quick ? 3 : 10;
        var scores = await LearnerStudy.CrossValidateAsync(file, Learners, folds, 0, context.Progress, ct);
        foreach (var score in scores)
        {
            var chosen = score.Learner == nameof(MosLearner.Auto) || score.Learner == nameof(MosLearner.Trees)
                ? $"; per fold: {string.Join(", ", score.Chosen.Select(c => $"{c.Key} {c.Value}"))}" : "";
            context.Log.Rows.Add(new BenchRow(
                $"{Family(score.Learner)}: {folds}-fold CV on YouTube-UGC's VIDEVAL features ({score.Rows:#,0} x 60): PLCC {score.PlccMean:F3} +- {score.PlccStd:F3}, pooled SROCC {score.PooledSrocc:F3}",
                null, new Measured("one fit", Timing.Of(score.SecondsPerFit)),
                score.Learner == nameof(MosLearner.Auto) && folds == 10 ? new ScoreAtLeast("CV PLCC", SvrCvPlcc, score.PlccMean, "the RBF SVR's on these folds") : null,
                $"seconds per fit (wall, this machine's load), selection on the fit's own carve-out included{chosen}"));
        }

        string Group(string id) => id.IndexOf('_') is var at and > 0 ? id[..at] : id;
        var groups = (await File.ReadAllLinesAsync(file, ct)).Where(l => l.Length > 0)
            .Select(l => Group(System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("src").GetString() ?? ""))
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        var halves = new[] { groups.Where((_, i) => i % 2 == 0).ToHashSet(), groups.Where((_, i) => i % 2 == 1).ToHashSet() };
        foreach (var train in halves)
        {
            var transfer = await LearnerStudy.AcrossGroupsAsync(file, Group, train, Learners, 0, context.Progress, ct);
            var trees = transfer.Single(t => t.Learner == nameof(MosLearner.Trees));
            foreach (var t in transfer)
                context.Log.Rows.Add(new BenchRow(
                    $"{Family(t.Learner)}: trained on {t.TrainRows:#,0} clips of {string.Join(", ", train)}; tested on the other categories ({t.TestRows:#,0}): PLCC {t.Plcc:F3}, SROCC {t.Srocc:F3}",
                    null, new Measured("one fit", Timing.Of(0)),
                    t.Learner == nameof(MosLearner.Auto) ? new ScoreAtLeast("PLCC across categories", trees.Plcc, t.Plcc, "the trees alone") : null,
                    $"chosen: {t.Chosen}; no time measured (see the CV rows)"));
        }
    }

    /// <summary>One kernel fit at its row cap and the real width: what --learner kernel costs per fit above the cap (auto leaves the kernel out there).</summary>
    private static async Task KernelAtWidthAsync(BenchContext context, CancellationToken ct)
    {
        const int features = 1_068;
        var rows = context.Options.Quick ? 500 : LearnerStudy.KernelMaxRows;
        var path = Path.Combine(context.Folder("learner"), $"synthetic-{rows}x{features}.jsonl");
        if (!File.Exists(path)) await SyntheticRowCorpus.WriteAsync(path, rows, features, 0, ct);
        var seconds = await LearnerStudy.FitSecondsAsync(path, MosLearner.Kernel, 0, ct);
        context.Log.Rows.Add(new BenchRow($"Kernel: one fit with inner validation at {rows:#,0} synthetic rows x {features:#,0} features (its row cap)", null,
            new Measured("one fit", Timing.Of(seconds), rows, "rows"), null,
            $"above {LearnerStudy.KernelMaxRows:#,0} training rows auto leaves the kernel out and --learner kernel fits a seeded subsample of that size"));
    }

    private static string Family(string learner) => learner switch
    {
        nameof(MosLearner.Trees) => "Learner trees (LightGbm or FastTree)",
        nameof(MosLearner.Kernel) => "Learner kernel (RBF ridge, random Fourier features)",
        _ => "Learner auto (trees + kernel blended on the carve-out)",
    };
}

/// <summary>A quality figure at least a reference (the row's time plays no part).</summary>
internal sealed record ScoreAtLeast(string What, double Minimum, double Value, string Reference) : Goal
{
    public override bool IsMet(BenchRow row) => Value >= Minimum;

    public override string Text => $"{What} >= {Minimum:F3} ({Reference})";
}
