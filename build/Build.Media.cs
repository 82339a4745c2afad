using System.Globalization;
using Konvid.Core.Features;
using Konvid.Core.Features.Deep;
using Konvid.Core.Probe;
using Konvid.Targets;

namespace Konvid.Build;

partial class Build
{
    [Parameter("CNN features (ResNet18 with ONNX Runtime)")]
    bool DeepFeatures = true;

    [Parameter("ONNX Runtime execution provider: auto, cpu or cuda")]
    DeviceKind Device = DeviceKind.Auto;

    FeaturesReport? Featured;

    Target Probe => _ => _
        .Description("Read geometry and codec of every verified clip")
        .DependsOn(Verify)
        .Version("probe-format", ProbeStore.FormatVersion)
        .Keyed(() => [Shard])
        .Tracks(() => [Layout.Manifest, ProbeStore.PathFor(Layout, Shard)])
        .Produces(() => [ProbeStore.PathFor(Layout, Shard), Layout.AttritionParts, Layout.Attrition])
        .Executes(ct => OnScheduler(nameof(Probe), ct) ?? Prober.RunAsync(Layout, new ProbeOptions(Jobs, Shard), Progress, ct));

    Target Features => _ => _
        .Description("Decode every clip once and compute the nr-v1 no-reference features (+ CNN features)")
        .DependsOn(Probe)
        .Version("feature-set", ClipFeatures.CurrentSet)
        .Version("feature-revision", ClipFeatures.Revision.ToString(CultureInfo.InvariantCulture))
        .Version("cnn-weights", DeepFeaturizer.WeightsId)
        .Keyed(() => [Shard, DeepFeatures])
        .Tracks(() => [.. ProbeStore.Files(Layout), Layout.FeaturesDir])
        .Produces(() => Featured?.Changed(Layout) ?? [Layout.FeaturesDir, Layout.AttritionParts, Layout.Attrition])
        .Executes(async ct =>
        {
            if (OnScheduler(nameof(Features), ct) is { } cluster) await cluster;
            else Featured = await FeatureStage.RunAsync(Layout, Jobs, Shard, DeepFeatures, Device, Listed(Layout.FeaturesDir), Progress, ct);
        });
}
