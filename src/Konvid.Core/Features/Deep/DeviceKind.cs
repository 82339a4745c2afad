namespace Konvid.Core.Features.Deep;

/// <summary>Where ResNet18 runs (<c>--device auto|cpu|cuda</c>).</summary>
public enum DeviceKind
{
    /// <summary>CUDA when its execution provider loads, CPU otherwise (said once through progress).</summary>
    Auto,

    Cpu,

    /// <summary>CUDA or a clear failure; never a silent CPU fallback.</summary>
    Cuda,
}
