using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Konvid.Core.Features;

/// <summary>Moments of the Hasler-Suesstrunk opponent channels rg = R - G and yb = (R + G) / 2 - B.</summary>
internal readonly record struct OpponentSums(double Rg, double RgSquare, double Yb, double YbSquare, long Count)
{
    /// <summary>Hasler and Suesstrunk (2003), eq. 3: sigma_rgyb + 0.3 mu_rgyb.</summary>
    public double Colourfulness
    {
        get
        {
            if (Count == 0) return 0;
            var mRg = Rg / Count;
            var mYb = Yb / Count;
            var varRg = Math.Max(0, RgSquare / Count - mRg * mRg);
            var varYb = Math.Max(0, YbSquare / Count - mYb * mYb);
            return Math.Sqrt(varRg + varYb) + 0.3 * Math.Sqrt(mRg * mRg + mYb * mYb);
        }
    }
}

/// <summary>
/// Colourfulness at chroma resolution: one RGB sample per chroma sample, with the luma of the top-left pixel of its 2x2
/// block, converted with BT.601 coefficients (limited or full range) and clamped to 0..255 as a display would.
/// </summary>
internal static unsafe class ColourKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static OpponentSums Opponent(ReadOnlySpan<byte> y, ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, int width, int height, bool fullRange)
    {
        var cw = (width + 1) / 2;
        var ch = (height + 1) / 2;
        // Full range: Y as is, chroma scale 1; limited: (Y - 16) * 255/219 and chroma * 255/224.
        float yOff = fullRange ? 0 : 16, yGain = fullRange ? 1 : 255f / 219, cGain = fullRange ? 1 : 255f / 224;
        float kRv = 1.402f * cGain, kGu = -0.344136f * cGain, kGv = -0.714136f * cGain, kBu = 1.772f * cGain;
        double rg = 0, rg2 = 0, yb = 0, yb2 = 0;
        fixed (byte* py = y)
        fixed (byte* pu = u)
        fixed (byte* pv = v)
        {
            for (var row = 0; row < ch; row++)
            {
                var ly = py + 2 * row * width;
                var lu = pu + row * cw;
                var lv = pv + row * cw;
                var j = 0;
                if (Avx2.IsSupported)
                {
                    Vector256<float> sRg = default, sRg2 = default, sYb = default, sYb2 = default;
                    var lowBytes = Vector128.Create((ushort)0xFF);
                    // 16 luma bytes hold the 8 even-column samples this chunk needs.
                    for (; 2 * j + 16 <= width && j + 8 <= cw; j += 8)
                    {
                        var even = Sse2.And(Sse2.LoadVector128((ushort*)(ly + 2 * j)), lowBytes);
                        var yy = (Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(even)) - Vector256.Create(yOff)) * Vector256.Create(yGain);
                        var cu = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(lu + j)) - Vector256.Create(128f);
                        var cv = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(lv + j)) - Vector256.Create(128f);
                        var r = Clamp(yy + cv * Vector256.Create(kRv));
                        var g = Clamp(yy + cu * Vector256.Create(kGu) + cv * Vector256.Create(kGv));
                        var b = Clamp(yy + cu * Vector256.Create(kBu));
                        var a = r - g;
                        var c = (r + g) * Vector256.Create(0.5f) - b;
                        sRg += a; sRg2 += a * a; sYb += c; sYb2 += c * c;
                    }
                    rg += Sum(sRg); rg2 += Sum(sRg2); yb += Sum(sYb); yb2 += Sum(sYb2);
                }
                for (; j < cw; j++)
                {
                    var yy = (ly[2 * j] - yOff) * yGain;
                    float cu = lu[j] - 128f, cv = lv[j] - 128f;
                    var r = Math.Clamp(yy + kRv * cv, 0f, 255f);
                    var g = Math.Clamp(yy + kGu * cu + kGv * cv, 0f, 255f);
                    var b = Math.Clamp(yy + kBu * cu, 0f, 255f);
                    var a = r - g;
                    var c = 0.5f * (r + g) - b;
                    rg += a; rg2 += a * a; yb += c; yb2 += c * c;
                }
            }
        }
        return new OpponentSums(rg, rg2, yb, yb2, (long)cw * ch);
    }

    private static Vector256<float> Clamp(Vector256<float> x) => Avx.Min(Avx.Max(x, Vector256<float>.Zero), Vector256.Create(255f));

    private static double Sum(Vector256<float> v) => Vector256.Sum(Vector256.WidenLower(v)) + Vector256.Sum(Vector256.WidenUpper(v));
}
