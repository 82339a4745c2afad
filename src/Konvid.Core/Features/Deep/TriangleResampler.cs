using System.Numerics;

namespace Konvid.Core.Features.Deep;

/// <summary>
/// Separable resampling of one 8-bit plane with a triangle (bilinear) kernel whose support widens with the
/// downscale ratio, as ffmpeg's swscale <c>flags=bilinear</c> and PIL's BILINEAR do: plain bilinear when enlarging,
/// an anti-aliased average when shrinking (a 960-wide frame to 224 mixes ~9 source pixels, not 2). The plane is
/// stretched to the target size (no aspect preservation); pixel centres are aligned, and taps that fall outside the
/// plane are dropped with the remaining weights renormalised.
/// </summary>
internal sealed class TriangleResampler
{
    private readonly Axis _horizontal;
    private readonly Axis _vertical;
    private readonly float[] _rows;
    private readonly float[] _line;

    public int SourceWidth { get; }
    public int SourceHeight { get; }
    public int TargetWidth { get; }
    public int TargetHeight { get; }

    public TriangleResampler(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight)
    {
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        TargetWidth = targetWidth;
        TargetHeight = targetHeight;
        _horizontal = Axis.Create(sourceWidth, targetWidth);
        _vertical = Axis.Create(sourceHeight, targetHeight);
        _rows = new float[sourceHeight * targetWidth];
        _line = new float[sourceWidth];
    }

    /// <summary>Resamples <paramref name="source"/> (SourceWidth x SourceHeight, stride = width) into <paramref name="target"/> (TargetWidth x TargetHeight).</summary>
    public void Resample(ReadOnlySpan<byte> source, Span<float> target)
    {
        var rows = _rows.AsSpan();
        var line = _line.AsSpan();
        for (var y = 0; y < SourceHeight; y++)
        {
            var src = source.Slice(y * SourceWidth, SourceWidth);
            for (var x = 0; x < SourceWidth; x++) line[x] = src[x];
            var dst = rows.Slice(y * TargetWidth, TargetWidth);
            for (var x = 0; x < TargetWidth; x++)
            {
                var (start, count) = _horizontal.Span(x);
                var weights = _horizontal.Weights(x, count);
                var sum = 0f;
                for (var k = 0; k < count; k++) sum += weights[k] * line[start + k];
                dst[x] = sum;
            }
        }

        for (var y = 0; y < TargetHeight; y++)
        {
            var dst = target.Slice(y * TargetWidth, TargetWidth);
            dst.Clear();
            var (start, count) = _vertical.Span(y);
            var weights = _vertical.Weights(y, count);
            for (var k = 0; k < count; k++) AddScaled(dst, rows.Slice((start + k) * TargetWidth, TargetWidth), weights[k]);
        }
    }

    private static void AddScaled(Span<float> accumulator, ReadOnlySpan<float> row, float weight)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<float>(weight);
            for (; i <= accumulator.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var acc = new Vector<float>(accumulator[i..]) + w * new Vector<float>(row[i..]);
                acc.CopyTo(accumulator[i..]);
            }
        }

        for (; i < accumulator.Length; i++) accumulator[i] += weight * row[i];
    }

    /// <summary>Per target position: the first source index and the normalised weights of the taps that follow it.</summary>
    private sealed class Axis(int[] starts, int[] counts, float[] weights, int stride)
    {
        public (int Start, int Count) Span(int target) => (starts[target], counts[target]);

        public ReadOnlySpan<float> Weights(int target, int count) => weights.AsSpan(target * stride, count);

        public static Axis Create(int source, int target)
        {
            var scale = (double)source / target;
            var radius = Math.Max(1.0, scale);
            var stride = (int)Math.Ceiling(radius) * 2 + 1;
            var starts = new int[target];
            var counts = new int[target];
            var weights = new float[target * stride];
            var taps = new double[stride];
            for (var t = 0; t < target; t++)
            {
                var centre = (t + 0.5) * scale - 0.5;
                var first = Math.Max(0, (int)Math.Floor(centre - radius) + 1);
                var last = Math.Min(source - 1, (int)Math.Ceiling(centre + radius) - 1);
                // The centre lies within half a pixel of the plane, so the nearest tap always has weight > 0.
                var total = 0.0;
                var count = 0;
                for (var s = first; s <= last; s++)
                {
                    var w = Math.Max(0.0, 1.0 - Math.Abs(s - centre) / radius);
                    taps[count++] = w;
                    total += w;
                }

                starts[t] = first;
                counts[t] = count;
                for (var k = 0; k < count; k++) weights[t * stride + k] = (float)(taps[k] / total);
            }

            return new Axis(starts, counts, weights, stride);
        }
    }
}
