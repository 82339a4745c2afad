using System.Numerics;

namespace Konvid.Core.Train;

/// <summary>The dense double-precision algebra the kernel head needs: products, and a Cholesky solve.</summary>
internal static class KernelMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var width = Vector<double>.Count;
        var sum = Vector<double>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width) sum += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
        var total = Vector.Sum(sum);
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    /// <summary>y += a * x.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        var width = Vector<double>.Count;
        var va = new Vector<double>(a);
        var i = 0;
        for (; i <= x.Length - width; i += width) (new Vector<double>(y[i..]) + va * new Vector<double>(x[i..])).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] += a * x[i];
    }

    /// <summary>(rows x inner) times (inner x columns), both row-major.</summary>
    public static double[] Multiply(double[] left, int rows, int inner, double[] right, int columns)
    {
        var product = new double[rows * columns];
        Parallel.For(0, rows, i =>
        {
            var target = product.AsSpan(i * columns, columns);
            for (var k = 0; k < inner; k++)
                if (left[i * inner + k] is var a and not 0) Axpy(a, right.AsSpan(k * columns, columns), target);
        });
        return product;
    }

    /// <summary>
    /// Solves (A + ridge·I) x = b for symmetric positive definite A given by its lower triangle (n x n, row-major);
    /// false when the matrix is not numerically positive definite.
    /// </summary>
    public static bool TrySolve(double[] lower, int n, double ridge, ReadOnlySpan<double> b, Span<double> x)
    {
        var l = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            var li = l.AsSpan(i * n, n);
            for (var j = 0; j <= i; j++)
            {
                var s = lower[i * n + j] + (i == j ? ridge : 0) - Dot(li[..j], l.AsSpan(j * n, j));
                if (i == j)
                {
                    if (!(s > 0)) return false;
                    li[i] = Math.Sqrt(s);
                }
                else li[j] = s / l[j * n + j];
            }
        }
        for (var i = 0; i < n; i++) x[i] = (b[i] - Dot(l.AsSpan(i * n, i), x[..i])) / l[i * n + i];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = x[i];
            for (var k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
            x[i] = s / l[i * n + i];
        }
        return true;
    }
}
