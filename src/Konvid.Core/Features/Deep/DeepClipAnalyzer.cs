using Konvid.Core.Workspace;

namespace Konvid.Core.Features.Deep;

/// <summary>
/// The CNN features of one clip. Frames whose index reaches the next planned index are embedded at once (converted,
/// resized and run through ResNet18; nothing else of a frame is copied), so memory stays at one 512-vector per sample.
/// A planned index the decoder skips is taken by the next frame that arrives; planned indices past the clip's real end
/// (the probe over-estimated the frame count) are missing from the pool; if no planned frame came at all, the clip's
/// first frame, the one copy kept as insurance, is embedded instead.
/// </summary>
internal sealed class DeepClipAnalyzer(DeepFeaturizer owner, int[] plan, string src) : IFrameAnalyzer
{
    private readonly List<float[]> _embeddings = new(plan.Length);
    private readonly byte[] _rgb = new byte[3 * DeepFeaturizer.InputSize * DeepFeaturizer.InputSize];
    private readonly float[] _input = new float[3 * DeepFeaturizer.InputSize * DeepFeaturizer.InputSize];
    private FrameToRgb? _converter;
    private int _next;
    private Yuv420Frame? _firstFrame;
    private bool _seenAny;

    public void Add(in Yuv420Frame frame)
    {
        if (_next < plan.Length && frame.Index >= plan[_next])
        {
            Embed(frame);
            while (_next < plan.Length && plan[_next] <= frame.Index) _next++;
            _firstFrame = null;
        }
        else if (!_seenAny)
        {
            _firstFrame = Copy(frame);
        }

        _seenAny = true;
    }

    public void Finish(SortedDictionary<string, double> features)
    {
        if (_embeddings.Count == 0)
        {
            if (_firstFrame is not { } first)
                throw new KonvidException($"{src}: CNN features: no decoded frame reached the analyzer",
                    $"check that the clip decodes: ffmpeg -v error -i \"{src}\" -f null -");
            Embed(first);
            _firstFrame = null;
        }

        var n = _embeddings.Count;
        for (var d = 0; d < DeepFeaturizer.EmbeddingSize; d++)
        {
            var sum = 0.0;
            foreach (var e in _embeddings) sum += e[d];
            var mean = sum / n;
            var squares = 0.0;
            foreach (var e in _embeddings) squares += (e[d] - mean) * (e[d] - mean);
            features[DeepFeaturizer.FeatureNames[d]] = mean;
            features[DeepFeaturizer.FeatureNames[DeepFeaturizer.EmbeddingSize + d]] = Math.Sqrt(squares / n);
        }
    }

    private void Embed(in Yuv420Frame frame)
    {
        if (_converter is null || _converter.Width != frame.Width || _converter.Height != frame.Height)
            _converter = new FrameToRgb(frame.Width, frame.Height, DeepFeaturizer.InputSize);
        _converter.Convert(frame, _rgb);
        owner.Preprocess.Apply(_rgb, _input);
        var embedding = new float[DeepFeaturizer.EmbeddingSize];
        owner.Embed(_input, embedding);
        _embeddings.Add(embedding);
    }

    private static Yuv420Frame Copy(in Yuv420Frame frame)
    {
        var buffer = new byte[frame.Y.Length + frame.U.Length + frame.V.Length];
        frame.Y.Span.CopyTo(buffer);
        frame.U.Span.CopyTo(buffer.AsSpan(frame.Y.Length));
        frame.V.Span.CopyTo(buffer.AsSpan(frame.Y.Length + frame.U.Length));
        var memory = buffer.AsMemory();
        return frame with
        {
            Y = memory[..frame.Y.Length],
            U = memory.Slice(frame.Y.Length, frame.U.Length),
            V = memory.Slice(frame.Y.Length + frame.U.Length, frame.V.Length),
        };
    }
}
