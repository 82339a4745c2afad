using Konvid.Targets;

namespace Konvid.Build;

partial class Build
{
    Target Jsonl => _ => _
        .Description("Join scores, probe and features into the corpus JSONL and attrition.csv")
        .DependsOn(Features)
        .Executes(() => throw NotYet("Jsonl"));
}
