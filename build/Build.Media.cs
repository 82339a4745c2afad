using Konvid.Core.Features.Deep;
using Konvid.Targets;

namespace Konvid.Build;

partial class Build
{
    [Parameter("CNN features (ResNet18 with ONNX Runtime)")]
    bool DeepFeatures = true;

    [Parameter("ONNX Runtime execution provider: auto, cpu or cuda")]
    DeviceKind Device = DeviceKind.Auto;

    Target Probe => _ => _
        .Description("Read geometry and codec of every verified clip")
        .DependsOn(Verify)
        .Executes(() => throw NotYet("Probe"));

    Target Features => _ => _
        .Description("Decode every clip once and compute the nr-v1 no-reference features")
        .DependsOn(Probe)
        .Executes(() => throw NotYet("Features"));
}
