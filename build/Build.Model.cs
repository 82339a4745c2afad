using Konvid.Targets;

namespace Konvid.Build;

partial class Build
{
    [Parameter("Training seeds")]
    int[] Seeds = [0, 1, 2, 3, 4];

    [Parameter("Held-out fraction")]
    double Holdout = 0.1;

    [Parameter("A clip to score, for Predict")]
    string? Clip;

    [Parameter("A model folder (registry or models/), for Predict")]
    string? Model;

    Target Train => _ => _
        .Description("Train the MOS head per seed, export ONNX, evaluate it on the held-out fold")
        .DependsOn(Jsonl)
        .Executes(() => throw NotYet("Train"));

    Target Gate => _ => _
        .Description("Promote the models (MOS_PROMOTE.json) or hold them (MOS_HOLD.json)")
        .DependsOn(Train)
        .Executes(() => throw NotYet("Gate"));

    Target Predict => _ => _
        .Description("Print the MOS of --clip with the registered model")
        .Executes(() => throw NotYet("Predict"));
}
