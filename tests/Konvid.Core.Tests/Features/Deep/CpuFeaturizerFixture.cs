using Konvid.Core.Features.Deep;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Features.Deep;

/// <summary>One real CPU ResNet18 session for a test class: loading the 64 MB model once keeps the tests quick.</summary>
public sealed class CpuFeaturizerFixture : IDisposable
{
    public DeepFeaturizer Featurizer { get; } = DeepFeaturizer.Create(DeviceKind.Cpu, NullProgress.Instance);

    public void Dispose() => Featurizer.Dispose();
}
