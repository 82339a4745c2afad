using Konvid.Core.Probe;

namespace Konvid.Core.Features;

/// <summary>
/// The classic (non-CNN) measures of nr-v1 for one clip, fed every decoded frame in order. All buffers are allocated once
/// per clip; a frame costs one range-mapping pass over its luma and one pass per kernel (docs/features.md).
/// </summary>
internal sealed class ClassicFrameAnalyzer : IFrameAnalyzer
{
    /// <summary>Mean absolute luma change (0..255) above which a frame can be a cut...</summary>
    internal const double CutMinimumChange = 20;

    /// <summary>...if it is also this many times the change into the previous frame, so steady fast motion is not a cut.</summary>
    internal const double CutJumpRatio = 2.5;

    private static readonly byte[] LimitedLut = LumaKernels.RangeLut(fullRange: false);

    private readonly ProbeResult _clip;
    private byte[] _current;
    private byte[] _previous;
    private readonly int _width;
    private readonly int _height;
    private readonly FrameSeries _si, _ti, _sharpness, _blur, _blockiness, _noise, _contrast, _brightness, _colourfulness, _flicker;
    private int _frames;
    private int _cuts;
    private double _lastBrightness;
    private double _lastChange;

    public ClassicFrameAnalyzer(ProbeResult clip, int width, int height)
    {
        _clip = clip;
        _width = width;
        _height = height;
        _current = new byte[width * height];
        _previous = new byte[width * height];
        var capacity = (int)Math.Clamp(clip.FrameCount ?? (long)Math.Ceiling(clip.DurationS * clip.Framerate) + 8, 16, 1 << 20);
        FrameSeries New(string name) => new(name, capacity);
        (_si, _ti, _sharpness, _blur, _blockiness) = (New("si"), New("ti"), New("sharpness"), New("blur"), New("blockiness"));
        (_noise, _contrast, _brightness, _colourfulness, _flicker) = (New("noise"), New("contrast"), New("brightness"), New("colourfulness"), New("flicker"));
    }

    public int Frames => _frames;

    public void Add(in Yuv420Frame frame)
    {
        if (frame.Width != _width || frame.Height != _height)
            throw new ArgumentException($"frame {frame.Index} is {frame.Width}x{frame.Height}, the clip {_width}x{_height}", nameof(frame));
        LumaKernels.Map(frame.Y.Span, _current, frame.FullRange, LimitedLut);

        var n = LumaKernels.Neighbourhood(_current, _width, _height);
        var meanMagnitude = n.SobelSum / n.Count;
        _si.Add(Math.Sqrt(Math.Max(0, (double)n.SobelSquareSum / n.Count - meanMagnitude * meanMagnitude)));
        var meanLaplacian = (double)n.LaplacianSum / n.Count;
        _sharpness.Add(Math.Max(0, (double)n.LaplacianSquareSum / n.Count - meanLaplacian * meanLaplacian));
        // Immerkaer (1996): sigma = sqrt(pi/2) / (6 (W-2)(H-2)) * sum |I * N|.
        _noise.Add(Math.Sqrt(Math.PI / 2) * n.NoiseAbsSum / (6.0 * n.Count));

        var h = LumaKernels.Horizontal(_current, _width, _height);
        var v = LumaKernels.Vertical(_current, _width, _height);
        _blur.Add(Math.Max(Blur(h), Blur(v)));
        // Differences across block edges against those across block middles: content edges fall on both alike, coding steps on edges.
        var grid = (double)(h.GridDifference + v.GridDifference) / Math.Max(1, h.GridCount + v.GridCount);
        var middle = (double)(h.MidDifference + v.MidDifference) / Math.Max(1, h.MidCount + v.MidCount);
        _blockiness.Add(middle > 0 ? grid / middle : 1);

        var p = LumaKernels.Plane(_current, _frames > 0 ? _previous : ReadOnlySpan<byte>.Empty);
        var mean = (double)p.Sum / p.Count;
        _brightness.Add(mean);
        _contrast.Add(Math.Sqrt(Math.Max(0, (double)p.SquareSum / p.Count - mean * mean)) / 255);
        if (_frames > 0)
        {
            var meanDiff = (double)p.DiffSum / p.Count;
            _ti.Add(Math.Sqrt(Math.Max(0, (double)p.DiffSquareSum / p.Count - meanDiff * meanDiff)));
            _flicker.Add(Math.Abs(mean - _lastBrightness));
            var change = (double)p.DiffAbsSum / p.Count;
            if (change >= CutMinimumChange && change >= CutJumpRatio * _lastChange) _cuts++;
            _lastChange = change;
        }
        _lastBrightness = mean;

        _colourfulness.Add(ColourKernel.Opponent(frame.Y.Span, frame.U.Span, frame.V.Span, _width, _height, frame.FullRange).Colourfulness);

        (_current, _previous) = (_previous, _current);
        _frames++;
    }

    /// <summary>Crete-Roffet et al. (2007): the share of neighbour differences a 9-tap box blur removes; 1 for a flat frame.</summary>
    private static double Blur(EdgeSums s) => s.Difference > 0 ? (s.Difference - s.Retained9 / 9.0) / s.Difference : 1;

    public void Finish(SortedDictionary<string, double> features)
    {
        foreach (var series in new[] { _si, _ti, _sharpness, _blur, _blockiness, _noise, _contrast, _brightness, _colourfulness, _flicker })
            series.WriteStats(features);
        features["si_max"] = _si.Count > 0 ? _si.Max : 0;
        features["ti_max"] = _ti.Count > 0 ? _ti.Max : 0;
        var seconds = _clip.DurationS > 0 ? _clip.DurationS : _clip.Framerate > 0 ? _frames / _clip.Framerate : 0;
        features["scene_cuts_per_s"] = seconds > 0 ? _cuts / seconds : 0;
        features["bits_per_pixel"] = _frames > 0 ? _clip.SrcSizeBytes * 8.0 / ((double)_width * _height * _frames) : 0;
    }
}
