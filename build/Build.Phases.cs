using Konvid.Targets;

namespace Konvid.Build;

partial class Build
{
    Target Phase1 => _ => _
        .Description("The KoNViD-1k corpus JSONL (Download .. Jsonl)")
        .DependsOn(Jsonl);

    Target Phase2 => _ => _
        .Description("The KonViD-150k corpus JSONL (Download .. Jsonl)")
        .DependsOn(Jsonl);

    Target Phase3 => _ => _
        .Description("A gated MOS model for KonViD-150k (Download .. Gate)")
        .DependsOn(Gate);
}
