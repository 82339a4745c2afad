using Konvid.Core.Features;

namespace Konvid.Core.Tests.Features;

/// <summary>
/// The vectorised kernels against the measures' published formulas written out pixel by pixel, on random planes whose
/// widths leave every kind of remainder for the 16-pixel chunks.
/// </summary>
public class KernelFormulaTests
{
    public static TheoryData<int, int> Sizes => new() { { 16, 16 }, { 37, 23 }, { 64, 48 }, { 161, 91 }, { 250, 17 } };

    private static byte[] RandomPlane(int length, int seed, int low = 0, int high = 256)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (byte)rng.Next(low, high)).ToArray();
    }

    [Fact]
    public void Range_mapping_is_ffmpeg_sitis_integer_formula_for_every_value()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(Enumerable.Range(0, 256).Select(i => (byte)(255 - i))).Concat(new byte[7]).ToArray();
        var mapped = new byte[all.Length];
        LumaKernels.Map(all, mapped, fullRange: false, LumaKernels.RangeLut(false));
        // vf_siti.c convert_full_range: full_upper * limit_y / limit_upper with limit_y = clamp(y - 16, 0, 219).
        Assert.Equal(all.Select(y => (byte)(255 * Math.Clamp(y - 16, 0, 219) / 219)), mapped);
        LumaKernels.Map(all, mapped, fullRange: true, LumaKernels.RangeLut(true));
        Assert.Equal(all, mapped);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Neighbourhood_sums_are_sobel_laplacian_and_immerkaer_over_the_interior(int w, int h)
    {
        var p = RandomPlane(w * h, w * 31 + h);
        int At(int x, int y) => p[y * w + x];
        double sobel = 0; long sobelSq = 0, lap = 0, lapSq = 0, noise = 0;
        for (var y = 1; y < h - 1; y++)
            for (var x = 1; x < w - 1; x++)
            {
                // Sobel kernels of P.910 / vf_siti.c: X = [-1 0 1; -2 0 2; -1 0 1], Y = [-1 -2 -1; 0 0 0; 1 2 1].
                var gx = -At(x - 1, y - 1) + At(x + 1, y - 1) - 2 * At(x - 1, y) + 2 * At(x + 1, y) - At(x - 1, y + 1) + At(x + 1, y + 1);
                var gy = -At(x - 1, y - 1) - 2 * At(x, y - 1) - At(x + 1, y - 1) + At(x - 1, y + 1) + 2 * At(x, y + 1) + At(x + 1, y + 1);
                sobel += Math.Sqrt(gx * gx + gy * gy);
                sobelSq += gx * gx + gy * gy;
                var l = At(x, y - 1) + At(x - 1, y) - 4 * At(x, y) + At(x + 1, y) + At(x, y + 1);
                lap += l;
                lapSq += l * l;
                // Immerkaer (1996) mask N = [1 -2 1; -2 4 -2; 1 -2 1].
                noise += Math.Abs(At(x - 1, y - 1) - 2 * At(x, y - 1) + At(x + 1, y - 1) - 2 * At(x - 1, y) + 4 * At(x, y) - 2 * At(x + 1, y)
                    + At(x - 1, y + 1) - 2 * At(x, y + 1) + At(x + 1, y + 1));
            }

        var got = LumaKernels.Neighbourhood(p, w, h);

        Assert.Equal((sobelSq, lap, lapSq, noise, (long)(w - 2) * (h - 2)), (got.SobelSquareSum, got.LaplacianSum, got.LaplacianSquareSum, got.NoiseAbsSum, got.Count));
        Assert.Equal(sobel, got.SobelSum, sobel * 1e-6);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Edge_sums_are_crete_roffet_differences_and_block_grid_split(int w, int h)
    {
        var p = RandomPlane(w * h, w * 17 + h, 40, 90);
        int At(int x, int y) => p[y * w + x];
        // Crete-Roffet et al. 2007: B = 9-tap box blur of F; D_F = |F(x) - F(x-1)|, D_B = |B(x) - B(x-1)| = |F(x+4) - F(x-5)| / 9,
        // V = max(0, D_F - D_B). Summed over x = 5..w-5 (every row) and y = 5..h-5 (every column); kept x9 to stay integer.
        long hD = 0, hV = 0, hGrid = 0, hGridN = 0, hMid = 0, hMidN = 0;
        for (var y = 0; y < h; y++)
            for (var x = 5; x <= w - 5; x++)
            {
                var d = Math.Abs(At(x, y) - At(x - 1, y));
                hD += d;
                hV += Math.Max(0, 9 * d - Math.Abs(At(x + 4, y) - At(x - 5, y)));
                if (x % 8 == 0) { hGrid += d; hGridN++; }
                if (x % 8 == 4) { hMid += d; hMidN++; }
            }
        long vD = 0, vV = 0, vGrid = 0, vGridN = 0, vMid = 0, vMidN = 0;
        for (var y = 5; y <= h - 5; y++)
            for (var x = 0; x < w; x++)
            {
                var d = Math.Abs(At(x, y) - At(x, y - 1));
                vD += d;
                vV += Math.Max(0, 9 * d - Math.Abs(At(x, y + 4) - At(x, y - 5)));
                if (y % 8 == 0) { vGrid += d; vGridN++; }
                if (y % 8 == 4) { vMid += d; vMidN++; }
            }

        Assert.Equal(new EdgeSums(hD, hV, hGrid, hGridN, hMid, hMidN), LumaKernels.Horizontal(p, w, h));
        Assert.Equal(new EdgeSums(vD, vV, vGrid, vGridN, vMid, vMidN), LumaKernels.Vertical(p, w, h));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Plane_sums_are_moments_of_luma_and_of_the_frame_difference(int w, int h)
    {
        var a = RandomPlane(w * h, 1 + w);
        var b = RandomPlane(w * h, 2 + h);
        var d = a.Zip(b, (x, y) => (long)x - y).ToArray();
        var expected = new PlaneSums(a.Sum(x => (long)x), a.Sum(x => (long)x * x), d.Sum(), d.Sum(x => x * x), d.Sum(Math.Abs), w * h);
        Assert.Equal(expected, LumaKernels.Plane(a, b));
        Assert.Equal(expected with { DiffSum = 0, DiffSquareSum = 0, DiffAbsSum = 0 }, LumaKernels.Plane(a, ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Colourfulness_is_hasler_suesstrunk_on_bt601_rgb_at_chroma_resolution(int w, int h)
    {
        int cw = (w + 1) / 2, ch = (h + 1) / 2;
        var y = RandomPlane(w * h, 3, 16, 236);
        var u = RandomPlane(cw * ch, 4, 16, 241);
        var v = RandomPlane(cw * ch, 5, 16, 241);
        var rg = new List<double>();
        var yb = new List<double>();
        for (var j = 0; j < ch; j++)
            for (var i = 0; i < cw; i++)
            {
                // BT.601 limited range to full-range RGB (ITU-R BT.601 / JFIF coefficients), clamped to 0..255.
                var l = (y[2 * j * w + 2 * i] - 16) * 255.0 / 219;
                double cb = (u[j * cw + i] - 128) * 255.0 / 224, cr = (v[j * cw + i] - 128) * 255.0 / 224;
                var r = Math.Clamp(l + 1.402 * cr, 0, 255);
                var g = Math.Clamp(l - 0.344136 * cb - 0.714136 * cr, 0, 255);
                var bl = Math.Clamp(l + 1.772 * cb, 0, 255);
                rg.Add(r - g);
                yb.Add(0.5 * (r + g) - bl);
            }
        double Mean(List<double> x) => x.Average();
        double Std(List<double> x) => Math.Sqrt(x.Average(t => (t - Mean(x)) * (t - Mean(x))));
        // Hasler and Suesstrunk 2003, eq. 3.
        var expected = Math.Sqrt(Std(rg) * Std(rg) + Std(yb) * Std(yb)) + 0.3 * Math.Sqrt(Mean(rg) * Mean(rg) + Mean(yb) * Mean(yb));

        var got = ColourKernel.Opponent(y, u, v, w, h, fullRange: false).Colourfulness;

        Assert.Equal(expected, got, expected * 1e-4);
    }
}
