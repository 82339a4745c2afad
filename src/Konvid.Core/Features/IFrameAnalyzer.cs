using Konvid.Core.Probe;

namespace Konvid.Core.Features;

/// <summary>
/// Sees every decoded frame of one clip, in order, and adds its per-clip features at the end. One instance per
/// clip; the decoder calls it from one thread. Frames are borrowed: copy what must outlive <see cref="Add"/>.
/// </summary>
public interface IFrameAnalyzer
{
    void Add(in Yuv420Frame frame);

    void Finish(SortedDictionary<string, double> features);
}

/// <summary>Makes the per-clip analyzer of a shared, expensive resource (e.g. one ONNX Runtime session for all clips).</summary>
public interface IFrameAnalyzerFactory
{
    IFrameAnalyzer Create(ProbeResult clip);
}
