using Konvid.Core.Evaluate;
using Konvid.Core.Gate;
using Konvid.Core.Jsonl;
using Konvid.Core.Predict;
using Konvid.Core.Train;
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

    [Parameter("The state page Gate rewrites with the latest verdict and metrics")]
    string StatePage = "docs/state.md";

    [Parameter("A clip to score, for Predict")]
    string? Clip;

    [Parameter("A model folder (registry or models/), for Predict and Evaluate (default: the registry)")]
    string? Model;

    [Parameter("Predict prints a JSON object with per-seed values")]
    bool Json;

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
        .Keyed(() => [Catalog.Gate.Override(GateThresholds), RegistryDir, StatePage])
        .Tracks(() => [Layout.Models, Layout.Promote, Layout.Hold, RegistryDir])
        .Executes(ct => Konvid.Core.Gate.Gatekeeper.RunAsync(Layout, Catalog.Gate.Override(GateThresholds),
            new GateOptions(RegistryDir, Path.Combine(RootDirectory, StatePage), Catalog.Name, Catalog.Version), Progress, ct));

    Target Evaluate => _ => _
        .Description("The held-out metrics of any model (--model) on the current corpus")
        .Executes(ct => Evaluator.RunAsync(Layout, Path.GetFullPath(Model ?? RegistryDir), new EvaluateOptions(Holdout), Progress, ct));

    Target Predict => _ => _
        .Description("Print the MOS of --clip with the registered model (mean over seeds; --json for per-seed values)")
        .Executes(async ct =>
        {
            var clip = Clip ?? throw NeedsClip();
            var prediction = await ClipScorer.ScoreAsync(clip, Path.GetFullPath(Model ?? RegistryDir), Device, Progress, ct);
            Console.WriteLine(Json ? ClipScorer.ToJson(clip, prediction) : $"{clip}: MOS {prediction.Mos:0.000}");
        });

    static Core.Workspace.KonvidException NeedsClip() => new("Predict needs a clip", "./build.sh Predict --clip path/to/clip.mp4");
}
