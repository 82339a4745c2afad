namespace Konvid.Core.Features.Deep;

/// <summary>
/// Turns one yuv420p frame into a planar 8-bit RGB image of the CNN's input size: each plane (Y at full size, U and V
/// at ceil(w/2) x ceil(h/2), chroma centred as swscale assumes by default) is resampled straight to the target size with
/// <see cref="TriangleResampler"/>, then every target pixel is converted with BT.601 coefficients for the frame's range
/// (limited, or full for yuvj420p frames) and rounded to 8 bits, like the 8-bit images the network was trained on. Resampling before conversion is what ffmpeg's
/// <c>scale=224:224:flags=bilinear+full_chroma_int,format=rgb24</c> does too, and it converts 50k pixels instead of
/// the whole frame.
/// </summary>
internal sealed class FrameToRgb
{
    // BT.601: Kr = 0.299, Kb = 0.114; limited range maps Y 16..235 and Cb/Cr 16..240 onto 0..255, full range is 0..255 already.
    private const double Kr = 0.299, Kb = 0.114, Kg = 1 - Kr - Kb;
    private static readonly Coefficients Limited = new(16f, 255.0 / 219.0, 255.0 / 224.0);
    private static readonly Coefficients Full = new(0f, 1.0, 1.0);

    private sealed class Coefficients(float yOffset, double yScale, double chromaScale)
    {
        public readonly float YOffset = yOffset;
        public readonly float YScale = (float)yScale;
        public readonly float RFromV = (float)(2 * (1 - Kr) * chromaScale);
        public readonly float GFromU = (float)(2 * (1 - Kb) * Kb / Kg * chromaScale);
        public readonly float GFromV = (float)(2 * (1 - Kr) * Kr / Kg * chromaScale);
        public readonly float BFromU = (float)(2 * (1 - Kb) * chromaScale);
    }

    private readonly TriangleResampler _luma;
    private readonly TriangleResampler _chroma;
    private readonly float[] _y;
    private readonly float[] _u;
    private readonly float[] _v;

    public int Width { get; }
    public int Height { get; }
    public int TargetSize { get; }

    public FrameToRgb(int width, int height, int targetSize)
    {
        Width = width;
        Height = height;
        TargetSize = targetSize;
        _luma = new TriangleResampler(width, height, targetSize, targetSize);
        _chroma = new TriangleResampler((width + 1) / 2, (height + 1) / 2, targetSize, targetSize);
        _y = new float[targetSize * targetSize];
        _u = new float[targetSize * targetSize];
        _v = new float[targetSize * targetSize];
    }

    /// <summary>Writes R, G and B planes (each TargetSize x TargetSize) one after another into <paramref name="rgbPlanar"/>.</summary>
    public void Convert(in Yuv420Frame frame, Span<byte> rgbPlanar)
    {
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"frame is {frame.Width}x{frame.Height}, converter was made for {Width}x{Height}", nameof(frame));
        _luma.Resample(frame.Y.Span, _y);
        _chroma.Resample(frame.U.Span, _u);
        _chroma.Resample(frame.V.Span, _v);

        var pixels = TargetSize * TargetSize;
        var r = rgbPlanar[..pixels];
        var g = rgbPlanar.Slice(pixels, pixels);
        var b = rgbPlanar.Slice(2 * pixels, pixels);
        var k = frame.FullRange ? Full : Limited;
        float yOffset = k.YOffset, yScale = k.YScale, rFromV = k.RFromV, gFromU = k.GFromU, gFromV = k.GFromV, bFromU = k.BFromU;
        for (var i = 0; i < pixels; i++)
        {
            var y = (_y[i] - yOffset) * yScale;
            var u = _u[i] - 128f;
            var v = _v[i] - 128f;
            r[i] = ToByte(y + rFromV * v);
            g[i] = ToByte(y - gFromU * u - gFromV * v);
            b[i] = ToByte(y + bFromU * u);
        }
    }

    private static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value, MidpointRounding.AwayFromZero), 0, 255);
}
