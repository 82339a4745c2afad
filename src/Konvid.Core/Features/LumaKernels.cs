using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Konvid.Core.Features;

/// <summary>Sums of the 3x3 neighbourhood pass over the interior of a luma plane (docs/features.md).</summary>
internal readonly record struct NeighbourhoodSums(double SobelSum, long SobelSquareSum, long LaplacianSum, long LaplacianSquareSum, long NoiseAbsSum, long Count);

/// <summary>
/// Sums of the neighbour-difference pass: Crete-Roffet blur per direction, and for blockiness the differences across the
/// 8x8 block grid (position 0 mod 8) and across block middles (4 mod 8).
/// </summary>
internal readonly record struct EdgeSums(long Difference, long Retained9, long GridDifference, long GridCount, long MidDifference, long MidCount);

/// <summary>Whole-plane moments of the luma and of its difference to the previous frame.</summary>
internal readonly record struct PlaneSums(long Sum, long SquareSum, long DiffSum, long DiffSquareSum, long DiffAbsSum, long Count);

/// <summary>
/// The per-frame luma work of nr-v1 as plain methods over one plane (stride = width). Each method is one pass over
/// borrowed memory with AVX2 for 16 pixels at a time and a scalar loop for the remaining columns (and for CPUs without
/// AVX2), with integer accumulators flushed before they can overflow. AggressiveOptimization: otherwise a clip's first
/// frames run tier-0 code, where vector intrinsics are calls, and tier-up waits for a quiet moment a busy decode never has.
/// </summary>
internal static unsafe class LumaKernels
{
    /// <summary>Chunks after which 32-bit lane accumulators are flushed into 64-bit totals.</summary>
    private const int FlushEvery = 128;

    /// <summary>
    /// ffmpeg's siti mapping of limited-range luma to full range (255 * clamp(y - 16, 0, 219) / 219, integer division),
    /// identity for full-range video; applied once per frame so every luma measure is range-independent.
    /// </summary>
    public static byte[] RangeLut(bool fullRange)
    {
        var lut = new byte[256];
        for (var y = 0; y < 256; y++) lut[y] = (byte)(fullRange ? y : 255 * Math.Clamp(y - 16, 0, 219) / 219);
        return lut;
    }

    /// <summary>
    /// <see cref="RangeLut"/> applied to a plane. The limited-range case is computed 16 pixels at a time as
    /// v + floor(36 v / 219) with v = clamp(y - 16, 0, 219) (since 255 v / 219 = v + 36 v / 219), the division being a
    /// multiply-high by 38305 and a shift by 7, exact for 36 v &lt;= 7884.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map(ReadOnlySpan<byte> source, Span<byte> destination, bool fullRange, ReadOnlySpan<byte> lut)
    {
        if (fullRange)
        {
            source.CopyTo(destination);
            return;
        }
        var n = source.Length;
        var i = 0;
        if (Avx2.IsSupported)
        {
            fixed (byte* s = source)
            fixed (byte* d = destination)
            {
                var sixteen = Vector256.Create((short)16);
                var top = Vector256.Create((short)219);
                var k36 = Vector256.Create((ushort)36);
                var magic = Vector256.Create((ushort)38305);
                for (; i + 16 <= n; i += 16)
                {
                    var v = Avx2.Min(Avx2.Max(Avx2.ConvertToVector256Int16(s + i) - sixteen, Vector256<short>.Zero), top).AsUInt16();
                    var mapped = v + Avx2.ShiftRightLogical(Avx2.MultiplyHigh(Avx2.MultiplyLow(v, k36), magic), 7);
                    var packed = Avx2.PackUnsignedSaturate(mapped.AsInt16(), mapped.AsInt16());
                    Avx2.Permute4x64(packed.AsUInt64(), 0b_10_00_10_00).AsByte().GetLower().Store(d + i);
                }
            }
        }
        for (; i < n; i++) destination[i] = lut[source[i]];
    }

    /// <summary>Sobel magnitude (P.910 SI), 4-neighbour Laplacian and Immerkaer's noise mask over pixels 1..w-2 x 1..h-2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NeighbourhoodSums Neighbourhood(ReadOnlySpan<byte> plane, int width, int height)
    {
        double sobel = 0;
        long sobelSq = 0, lap = 0, lapSq = 0, noise = 0;
        fixed (byte* p = plane)
        {
            for (var row = 1; row < height - 1; row++)
            {
                var t = p + (row - 1) * width;
                var m = t + width;
                var b = m + width;
                var x = 1;
                if (Avx2.IsSupported)
                {
                    var ones = Vector256.Create((short)1);
                    var vSobel = Vector256<float>.Zero;
                    Vector256<int> vSobelSq = default, vLap = default, vLapSq = default, vNoise = default;
                    var chunks = 0;
                    for (; x + 16 <= width - 1; x += 16)
                    {
                        var tl = Avx2.ConvertToVector256Int16(t + x - 1);
                        var tc = Avx2.ConvertToVector256Int16(t + x);
                        var tr = Avx2.ConvertToVector256Int16(t + x + 1);
                        var ml = Avx2.ConvertToVector256Int16(m + x - 1);
                        var mc = Avx2.ConvertToVector256Int16(m + x);
                        var mr = Avx2.ConvertToVector256Int16(m + x + 1);
                        var bl = Avx2.ConvertToVector256Int16(b + x - 1);
                        var bc = Avx2.ConvertToVector256Int16(b + x);
                        var br = Avx2.ConvertToVector256Int16(b + x + 1);

                        var gx = (tr - tl) + ((mr - ml) << 1) + (br - bl);
                        var gy = (bl + br - tl - tr) + ((bc - tc) << 1);
                        // Interleaving gx with gy makes vpmaddwd give gx^2 + gy^2 per pixel in 32 bits; order does not matter for sums.
                        var g2Lo = Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(gx, gy), Avx2.UnpackLow(gx, gy));
                        var g2Hi = Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(gx, gy), Avx2.UnpackHigh(gx, gy));
                        vSobelSq += g2Lo + g2Hi;
                        vSobel += Avx.Sqrt(Avx.ConvertToVector256Single(g2Lo)) + Avx.Sqrt(Avx.ConvertToVector256Single(g2Hi));

                        var cross = tc + bc + ml + mr;
                        var laplacian = cross - (mc << 2);
                        vLap += Avx2.MultiplyAddAdjacent(laplacian, ones);
                        vLapSq += Avx2.MultiplyAddAdjacent(laplacian, laplacian);

                        var mask = (tl + tr + bl + br) - (cross << 1) + (mc << 2);
                        vNoise += Avx2.MultiplyAddAdjacent(Avx2.Abs(mask).AsInt16(), ones);

                        if (++chunks == FlushEvery)
                        {
                            Flush(ref sobel, ref vSobel, ref sobelSq, ref vSobelSq, ref lap, ref vLap, ref lapSq, ref vLapSq, ref noise, ref vNoise);
                            chunks = 0;
                        }
                    }
                    Flush(ref sobel, ref vSobel, ref sobelSq, ref vSobelSq, ref lap, ref vLap, ref lapSq, ref vLapSq, ref noise, ref vNoise);
                }
                for (; x < width - 1; x++)
                {
                    int tl = t[x - 1], tc = t[x], tr = t[x + 1], ml = m[x - 1], mc = m[x], mr = m[x + 1], bl = b[x - 1], bc = b[x], br = b[x + 1];
                    var gx = (tr - tl) + 2 * (mr - ml) + (br - bl);
                    var gy = (bl + br - tl - tr) + 2 * (bc - tc);
                    var g2 = gx * gx + gy * gy;
                    sobelSq += g2;
                    sobel += MathF.Sqrt(g2);
                    var cross = tc + bc + ml + mr;
                    var laplacian = cross - 4 * mc;
                    lap += laplacian;
                    lapSq += laplacian * laplacian;
                    noise += Math.Abs(tl + tr + bl + br - 2 * cross + 4 * mc);
                }
            }
        }
        return new NeighbourhoodSums(sobel, sobelSq, lap, lapSq, noise, (long)Math.Max(0, width - 2) * Math.Max(0, height - 2));
    }

    private static void Flush(ref double sobel, ref Vector256<float> vSobel, ref long sobelSq, ref Vector256<int> vSobelSq,
        ref long lap, ref Vector256<int> vLap, ref long lapSq, ref Vector256<int> vLapSq, ref long noise, ref Vector256<int> vNoise)
    {
        sobel += Vector256.Sum(Vector256.WidenLower(vSobel)) + Vector256.Sum(Vector256.WidenUpper(vSobel));
        sobelSq += Sum(vSobelSq);
        lap += Sum(vLap);
        lapSq += Sum(vLapSq);
        noise += Sum(vNoise);
        vSobel = default; vSobelSq = default; vLap = default; vLapSq = default; vNoise = default;
    }

    /// <summary>
    /// Differences between horizontal neighbours (m[x] - m[x-1]) for x in 5..w-5 of every row: their sum, the part a 9-tap box
    /// blur would not remove (Crete-Roffet: max(0, 9|d| - |m[x+4] - m[x-5]|), kept times 9 to stay integer), and the
    /// differences on the 8-pixel block grid (x % 8 == 0) and in block middles (x % 8 == 4).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static EdgeSums Horizontal(ReadOnlySpan<byte> plane, int width, int height)
    {
        long diff = 0, kept = 0, grid = 0, gridCount = 0, mid = 0, midCount = 0;
        if (width < 10) return default;
        fixed (byte* p = plane)
        {
            var ones = Vector256.Create((short)1);
            var nine = Vector256.Create((short)9);
            // Chunks start on a multiple of 8, so lanes 0 and 8 are grid columns, lanes 4 and 12 block middles.
            var gridMask = Vector256.Create(1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0).AsInt16();
            var midMask = Vector256.Create(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0).AsInt16();
            for (var row = 0; row < height; row++)
            {
                var m = p + row * width;
                var x = 5;
                if (Avx2.IsSupported)
                {
                    for (; x < 8 && x <= width - 5; x++) HorizontalScalar(m, x, ref diff, ref kept, ref grid, ref gridCount, ref mid, ref midCount);
                    Vector256<int> vDiff = default, vKept = default, vGrid = default, vMid = default;
                    var chunks = 0;
                    for (; x + 15 + 4 <= width - 1; x += 16)
                    {
                        var d = Avx2.Abs(Avx2.ConvertToVector256Int16(m + x) - Avx2.ConvertToVector256Int16(m + x - 1)).AsInt16();
                        var wide = Avx2.Abs(Avx2.ConvertToVector256Int16(m + x + 4) - Avx2.ConvertToVector256Int16(m + x - 5)).AsInt16();
                        var retained = Avx2.Max(Avx2.MultiplyLow(d, nine) - wide, Vector256<short>.Zero);
                        vDiff += Avx2.MultiplyAddAdjacent(d, ones);
                        vKept += Avx2.MultiplyAddAdjacent(retained, ones);
                        vGrid += Avx2.MultiplyAddAdjacent(d, gridMask);
                        vMid += Avx2.MultiplyAddAdjacent(d, midMask);
                        gridCount += 2;
                        midCount += 2;
                        if (++chunks == FlushEvery) { FlushEdges(ref vDiff, ref vKept, ref vGrid, ref vMid, ref diff, ref kept, ref grid, ref mid); chunks = 0; }
                    }
                    FlushEdges(ref vDiff, ref vKept, ref vGrid, ref vMid, ref diff, ref kept, ref grid, ref mid);
                }
                for (; x <= width - 5; x++) HorizontalScalar(m, x, ref diff, ref kept, ref grid, ref gridCount, ref mid, ref midCount);
            }
        }
        return new EdgeSums(diff, kept, grid, gridCount, mid, midCount);
    }

    private static void HorizontalScalar(byte* m, int x, ref long diff, ref long kept, ref long grid, ref long gridCount, ref long mid, ref long midCount)
    {
        var d = Math.Abs(m[x] - m[x - 1]);
        diff += d;
        kept += Math.Max(0, 9 * d - Math.Abs(m[x + 4] - m[x - 5]));
        if ((x & 7) == 0) { grid += d; gridCount++; }
        else if ((x & 7) == 4) { mid += d; midCount++; }
    }

    private static void FlushEdges(ref Vector256<int> vDiff, ref Vector256<int> vKept, ref Vector256<int> vGrid, ref Vector256<int> vMid,
        ref long diff, ref long kept, ref long grid, ref long mid)
    {
        diff += Sum(vDiff);
        kept += Sum(vKept);
        grid += Sum(vGrid);
        mid += Sum(vMid);
        vDiff = default; vKept = default; vGrid = default; vMid = default;
    }

    /// <summary>The vertical counterpart of <see cref="Horizontal"/>: rows 5..h-5, every column; grid rows are y % 8 == 0, middles 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static EdgeSums Vertical(ReadOnlySpan<byte> plane, int width, int height)
    {
        long diff = 0, kept = 0, grid = 0, gridCount = 0, mid = 0, midCount = 0;
        if (height < 10) return default;
        fixed (byte* p = plane)
        {
            var ones = Vector256.Create((short)1);
            var nine = Vector256.Create((short)9);
            for (var row = 5; row <= height - 5; row++)
            {
                var m = p + row * width;
                var up = m - width;
                var below4 = m + 4 * width;
                var above5 = m - 5 * width;
                long rowDiff = 0;
                var x = 0;
                if (Avx2.IsSupported)
                {
                    Vector256<int> vDiff = default, vKept = default;
                    var chunks = 0;
                    for (; x + 16 <= width; x += 16)
                    {
                        var d = Avx2.Abs(Avx2.ConvertToVector256Int16(m + x) - Avx2.ConvertToVector256Int16(up + x)).AsInt16();
                        var wide = Avx2.Abs(Avx2.ConvertToVector256Int16(below4 + x) - Avx2.ConvertToVector256Int16(above5 + x)).AsInt16();
                        vDiff += Avx2.MultiplyAddAdjacent(d, ones);
                        vKept += Avx2.MultiplyAddAdjacent(Avx2.Max(Avx2.MultiplyLow(d, nine) - wide, Vector256<short>.Zero), ones);
                        if (++chunks == FlushEvery) { rowDiff += Sum(vDiff); kept += Sum(vKept); vDiff = default; vKept = default; chunks = 0; }
                    }
                    rowDiff += Sum(vDiff);
                    kept += Sum(vKept);
                }
                for (; x < width; x++)
                {
                    var d = Math.Abs(m[x] - up[x]);
                    rowDiff += d;
                    kept += Math.Max(0, 9 * d - Math.Abs(below4[x] - above5[x]));
                }
                diff += rowDiff;
                if ((row & 7) == 0) { grid += rowDiff; gridCount += width; }
                else if ((row & 7) == 4) { mid += rowDiff; midCount += width; }
            }
        }
        return new EdgeSums(diff, kept, grid, gridCount, mid, midCount);
    }

    /// <summary>Sum and sum of squares of the plane and, when <paramref name="previous"/> is not empty, of its difference to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PlaneSums Plane(ReadOnlySpan<byte> plane, ReadOnlySpan<byte> previous)
    {
        long sum = 0, sq = 0, dSum = 0, dSq = 0, dAbs = 0;
        var withPrevious = previous.Length == plane.Length;
        var n = plane.Length;
        fixed (byte* p = plane)
        fixed (byte* q = previous)
        {
            var i = 0;
            if (Avx2.IsSupported)
            {
                var ones = Vector256.Create((short)1);
                Vector256<int> vSum = default, vSq = default, vDSum = default, vDSq = default, vDAbs = default;
                var chunks = 0;
                for (; i + 16 <= n; i += 16)
                {
                    var a = Avx2.ConvertToVector256Int16(p + i);
                    vSum += Avx2.MultiplyAddAdjacent(a, ones);
                    vSq += Avx2.MultiplyAddAdjacent(a, a);
                    if (withPrevious)
                    {
                        var d = a - Avx2.ConvertToVector256Int16(q + i);
                        vDSum += Avx2.MultiplyAddAdjacent(d, ones);
                        vDSq += Avx2.MultiplyAddAdjacent(d, d);
                        vDAbs += Avx2.MultiplyAddAdjacent(Avx2.Abs(d).AsInt16(), ones);
                    }
                    // 16 squares of up to 255^2 per chunk: 32-bit lanes hold 2^31 / (2 * 65025) chunks; flush far earlier.
                    if (++chunks == 4 * FlushEvery || i + 32 > n)
                    {
                        sum += Sum(vSum); sq += Sum(vSq); dSum += Sum(vDSum); dSq += Sum(vDSq); dAbs += Sum(vDAbs);
                        vSum = default; vSq = default; vDSum = default; vDSq = default; vDAbs = default;
                        chunks = 0;
                    }
                }
            }
            for (; i < n; i++)
            {
                int a = p[i];
                sum += a;
                sq += a * a;
                if (withPrevious)
                {
                    var d = a - q[i];
                    dSum += d;
                    dSq += d * d;
                    dAbs += Math.Abs(d);
                }
            }
        }
        return new PlaneSums(sum, sq, dSum, dSq, dAbs, n);
    }

    private static long Sum(Vector256<int> v) =>
        (long)v.GetElement(0) + v.GetElement(1) + v.GetElement(2) + v.GetElement(3) + v.GetElement(4) + v.GetElement(5) + v.GetElement(6) + v.GetElement(7);
}
