using Konvid.Core.Probe;
using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>The nr-v1 features of one clip: one decode, every frame through the classic measures and, when given, the CNN analyzer.</summary>
internal static class ClipFeatureComputer
{
    /// <summary>Smallest frame the 3x3, 9-tap and 8x8-grid measures are defined on.</summary>
    public const int MinimumSide = 16;

    /// <summary>For a single clip (Predict): ffmpeg picks its own thread count.</summary>
    public static async Task<SortedDictionary<string, double>> ComputeAsync(string clipPath, ProbeResult probe, IFrameAnalyzerFactory? deep, CancellationToken ct) =>
        (await ComputeAsync(clipPath, probe, deep, threads: 0, ct)).Features;

    /// <summary>Throws <see cref="KonvidException"/> when the clip cannot be featurised (too small, undecodable).</summary>
    internal static async Task<(SortedDictionary<string, double> Features, int Frames)> ComputeAsync(string clipPath, ProbeResult probe,
        IFrameAnalyzerFactory? deep, int threads, CancellationToken ct)
    {
        if (!probe.Ok)
            throw new KonvidException($"{probe.Src} has no usable probe result: {probe.Error}", "probe the clip first; it may not be a video");
        // -autorotate turns the frames upright: they come out at the displayed size.
        var (width, height) = (probe.DisplayWidth, probe.DisplayHeight);
        if (width < MinimumSide || height < MinimumSide)
            throw new KonvidException($"{probe.Src} is {width}x{height}, smaller than the {MinimumSide}x{MinimumSide} that nr-v1 measures need",
                "such clips cannot be featurised and stay out of the corpus");

        var classic = new ClassicFrameAnalyzer(probe, width, height);
        var analyzers = new List<IFrameAnalyzer> { classic };
        if (deep is not null) analyzers.Add(deep.Create(probe));
        var (frames, errors) = await RawFrameDecoder.DecodeAsync(clipPath, width, height, probe.Framerate, DecodedRange.IsFull(probe), threads, analyzers, ct);
        DecodeDamage.ThrowIfDamaged(probe, frames, errors);

        var features = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var analyzer in analyzers) analyzer.Finish(features);
        return (features, frames);
    }
}
