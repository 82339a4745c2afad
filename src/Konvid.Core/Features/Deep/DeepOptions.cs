namespace Konvid.Core.Features.Deep;

/// <summary>
/// Tuning of the CNN features. <paramref name="IntraOpThreads"/> is the number of threads one ResNet18 run may use on
/// CPU: 1 by default because the Features stage already runs <c>--jobs</c> clips at once, one per core, and a fixed
/// count keeps CPU results bit-identical between runs. <paramref name="ModelsDirectory"/> is where DnnImageModels/ lives
/// (default: next to the binaries, where the NuGet package's build props copy it).
/// </summary>
public sealed record DeepOptions(FrameSampling? Sampling = null, int IntraOpThreads = 1, string? ModelsDirectory = null)
{
    public static readonly DeepOptions Default = new();

    public FrameSampling EffectiveSampling => Sampling ?? FrameSampling.Default;
}
