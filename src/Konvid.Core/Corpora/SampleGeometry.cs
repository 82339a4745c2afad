using System.Globalization;

namespace Konvid.Core.Corpora;

/// <summary>Size, frame rate and length of one scene; every variant of the scene keeps them.</summary>
internal sealed record SampleGeometry(int Width, int Height, int RateNum, int RateDen, double Seconds)
{
    /// <summary>The frame rate as ffmpeg reads it ("25", "30000/1001").</summary>
    public string Rate => RateDen == 1 ? RateNum.ToString(CultureInfo.InvariantCulture) : $"{RateNum}/{RateDen}";

    public string Size => $"{Width}x{Height}";

    public string Duration => Seconds.ToString("0.###", CultureInfo.InvariantCulture);

    // Real KoNViD-1k is all 960x540; the sample varies size, rate and length so Probe and Features see variety.
    private static readonly (double W, double H)[] Scales = [(1, 1), (0.9, 0.9), (1.1, 1.1), (0.8, 0.8 * 4 / 3), (1.2, 1.2), (0.75, 0.75)];
    private static readonly (int Num, int Den)[] Rates = [(25, 1), (24, 1), (30, 1), (30000, 1001), (24000, 1001)];
    private static readonly double[] Lengths = [1, 1.25, 1.5];

    /// <summary>The geometry of scene number <paramref name="index"/> for a base size and length.</summary>
    public static SampleGeometry For(int index, int width, int height, double seconds)
    {
        var (sw, sh) = Scales[index % Scales.Length];
        var (num, den) = Rates[index % Rates.Length];
        return new SampleGeometry(Even(width * sw), Even(height * sh), num, den, seconds * Lengths[index % Lengths.Length]);
    }

    private static int Even(double x) => Math.Max(16, 2 * (int)Math.Round(x / 2, MidpointRounding.AwayFromZero));
}
