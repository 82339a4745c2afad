using Konvid.Core.Evaluate;
using Konvid.Core.Gate;
using Konvid.Core.Jsonl;
using Konvid.Core.Predict;
using Konvid.Core.Train;
using Konvid.Core.Workspace;
using Konvid.Targets;

namespace Konvid.Build;

partial class Build
{
    [Parameter("Training seeds")]
    int[] Seeds = [0, 1, 2, 3, 4];

    [Parameter("Held-out fraction")]
    double Holdout = 0.1;

    [Parameter("Learner family of the MOS head: auto (the better tree learner blended with the RBF kernel ridge, weighted per seed on its validation carve-out), trees or kernel")]
    MosFamily Learner = MosFamily.Auto;

    [Parameter("Folds of the cross-validated PLCC reported beside the held-out fold (below 2: none)")]
    int CvFolds = 10;

    [Parameter("Gate thresholds replacing the catalog's, e.g. plcc_min=0.9,rmse_max=0.5")]
    string? GateThresholds;

    [Parameter("Where PROMOTE registers the models (default: the catalog's registry, else <work>/<corpus>/registry)")]
    string? Registry;

    [Parameter("The state page Gate rewrites (default: docs/state.md for the real corpora, <work>/sample/state.md for the sample)")]
    string? StatePage;

    /// <summary>The sample's page stays in its work dir, so the demo leaves a checkout clean; the tracked page is for the real corpora.</summary>
    string StatePagePath => StatePage is { } page ? Path.Combine(RootDirectory, page)
        : CorpusName == "sample" ? Path.Combine(Layout.Root, "state.md") : Path.Combine(RootDirectory, "docs", "state.md");

    [Parameter("Clips to score, for Predict: files, folders (video files below them), quoted globs ('dir/**/*.mp4') or a list file (.txt, one path a line)")]
    string[] Clip = [];

    [Parameter("A model folder (registry or models/), for Predict and Evaluate (default: the registry)")]
    string? Model;

    [Parameter("Predict and Evaluate print their result as one JSON document on stdout")]
    bool Json;

    [Parameter("Predict writes a row a clip (path, sha256, mean and per-seed MOS, error) to this .jsonl or .csv; a re-run scores only clips not in it")]
    string? Out;

    [Parameter("Rows Evaluate scores: heldout (the corpus's held-out fold) or all (a corpus the model never saw)")]
    EvaluateRows Rows = EvaluateRows.Heldout;

    /// <summary>Predict and Evaluate print their result on stdout; their progress and notices go to stderr.</summary>
    static readonly IProgressReporter ResultProgress = ConsoleProgress.ForStandardError();

    string RegistryDir => Path.GetFullPath(Registry
        ?? (Catalog.RegistryDir is { } dir ? Path.Combine(RootDirectory, dir) : Layout.Registry));

    Target Train => _ => _
        .Description("Train the MOS head per seed, export ONNX, evaluate it on the held-out fold")
        .DependsOn(Jsonl)
        .Version("trainer-recipe", Trainer.RecipeVersion)
        .Version("onnx-export", Trainer.ExportVersion)
        .Keyed(() => [Seeds, Holdout, CvFolds, LossCeiling.For(Catalog, MaxLoss).Percent, Learner])
        .Tracks(() => [Layout.CorpusJsonl, Layout.Models])
        .Executes(ct => Trainer.RunAsync(Layout, new TrainOptions(Seeds, Holdout, CvFolds: CvFolds, MaxSkipped: LossCeiling.For(Catalog, MaxLoss),
            Learner: TrainOptions.LearnerOf(Learner)), Progress, ct));

    Target Gate => _ => _
        .Description("Promote the models (MOS_PROMOTE.json, registry) or hold them (MOS_HOLD.json, failure)")
        .DependsOn(Train)
        .Version("gate-rules", Gatekeeper.RulesVersion)
        .Keyed(() => [Catalog.Gate.Override(GateThresholds), RegistryDir, StatePagePath])
        .Tracks(() => [Layout.Models, Layout.Promote, Layout.Hold, RegistryDir])
        .Executes(ct => Konvid.Core.Gate.Gatekeeper.RunAsync(Layout, Catalog.Gate.Override(GateThresholds),
            new GateOptions(RegistryDir, StatePagePath, Catalog.Name, Catalog.Version, RootDirectory), Progress, ct));

    Target Evaluate => _ => _
        .Description("Metrics of any model (--model) on a corpus's held-out fold or all its rows (--rows all), into <corpus>/evaluations/")
        .WritesResultToStdout()
        .Executes(async ct => await Evaluator.WriteAsync(
            await Evaluator.RunAsync(Layout, Path.GetFullPath(Model ?? RegistryDir), new EvaluateOptions(Rows == EvaluateRows.Heldout ? Holdout : null, Rows: Rows), ResultProgress, ct),
            Json, Console.Out));

    Target Predict => _ => _
        .Description("The MOS of --clip (files, folders, globs, list files) with the registered model; --out FILE, --json; exit 1 if a clip failed")
        .WritesResultToStdout()
        .Executes(ct => BatchPredictor.RunAsync(Clip, new PredictOptions(Path.GetFullPath(Model ?? RegistryDir), Device, Jobs, Out, Json), ResultProgress, Console.Out, ct));
}
