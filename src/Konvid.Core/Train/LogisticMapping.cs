namespace Konvid.Core.Train;

/// <summary>
/// The 4-parameter logistic of VQEG's FR-TV Phase II report, used to map objective scores onto MOS before PLCC:
/// f(x) = (b1 - b2) / (1 + exp(-(x - b3) / |b4|)) + b2. Fit by least squares with Levenberg-Marquardt (analytic
/// Jacobian, damping x10 on a rejected step, /10 on an accepted one), started from b1 = max(mos), b2 = min(mos),
/// b3 = mean(x), b4 = std(x) / 2 (or 1 for constant x).
/// </summary>
internal sealed record LogisticMapping(double B1, double B2, double B3, double B4)
{
    public double Map(double x) => (B1 - B2) / (1 + Math.Exp(-(x - B3) / Math.Abs(B4))) + B2;

    public static LogisticMapping Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> mos, int maxIterations = 500)
    {
        if (x.Length != mos.Length) throw new ArgumentException($"logistic fit: the inputs differ in length ({x.Length} vs {mos.Length})");
        if (x.Length < 4) throw new ArgumentException($"logistic fit: needs at least 4 points for 4 parameters, got {x.Length}");
        double mean = 0, sq = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        foreach (var v in x) sq += (v - mean) * (v - mean);
        var std = Math.Sqrt(sq / x.Length);
        double max = double.MinValue, min = double.MaxValue;
        foreach (var m in mos) { max = Math.Max(max, m); min = Math.Min(min, m); }
        var p = new[] { max, min, mean, std > 0 ? std / 2 : 1 };

        var lambda = 1e-3;
        var cost = Cost(x, mos, p);
        Span<double> jtj = stackalloc double[16];
        Span<double> jtr = stackalloc double[4];
        Span<double> step = stackalloc double[4];
        Span<double> g = stackalloc double[4];
        Span<double> a = stackalloc double[16];
        var trial = new double[4];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            jtj.Clear();
            jtr.Clear();
            for (var i = 0; i < x.Length; i++)
            {
                var s = Math.Abs(p[3]);
                var e = Math.Exp(-(x[i] - p[2]) / s);
                var sigma = 1 / (1 + e);
                var residual = mos[i] - ((p[0] - p[1]) * sigma + p[1]);
                var dSigma = sigma * sigma * e;
                g[0] = sigma;
                g[1] = 1 - sigma;
                g[2] = -(p[0] - p[1]) * dSigma / s;
                g[3] = -(p[0] - p[1]) * dSigma * (x[i] - p[2]) / (s * s) * Math.Sign(p[3] == 0 ? 1 : p[3]);
                for (var r = 0; r < 4; r++)
                {
                    jtr[r] += g[r] * residual;
                    for (var c = 0; c < 4; c++) jtj[r * 4 + c] += g[r] * g[c];
                }
            }
            var improved = false;
            while (lambda < 1e12)
            {
                jtj.CopyTo(a);
                for (var d = 0; d < 4; d++) a[d * 5] += lambda * (jtj[d * 5] + 1e-12);
                if (Solve4(a, jtr, step))
                {
                    for (var d = 0; d < 4; d++) trial[d] = p[d] + step[d];
                    var trialCost = Cost(x, mos, trial);
                    if (trialCost < cost)
                    {
                        var converged = cost - trialCost <= 1e-15 * (1 + cost);
                        trial.CopyTo(p, 0);
                        cost = trialCost;
                        lambda = Math.Max(lambda / 10, 1e-12);
                        improved = !converged;
                        break;
                    }
                }
                lambda *= 10;
            }
            if (!improved) break;
        }
        return new LogisticMapping(p[0], p[1], p[2], p[3]);
    }

    private static double Cost(ReadOnlySpan<double> x, ReadOnlySpan<double> mos, double[] p)
    {
        var f = new LogisticMapping(p[0], p[1], p[2], p[3]);
        double sum = 0;
        for (var i = 0; i < x.Length; i++) sum += (mos[i] - f.Map(x[i])) * (mos[i] - f.Map(x[i]));
        return double.IsFinite(sum) ? sum : double.MaxValue;
    }

    /// <summary>Gaussian elimination with partial pivoting on a 4x4 system; false when singular.</summary>
    private static bool Solve4(Span<double> a, ReadOnlySpan<double> b, Span<double> x)
    {
        Span<double> rhs = stackalloc double[4];
        b.CopyTo(rhs);
        for (var col = 0; col < 4; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < 4; r++) if (Math.Abs(a[r * 4 + col]) > Math.Abs(a[pivot * 4 + col])) pivot = r;
            if (Math.Abs(a[pivot * 4 + col]) < 1e-300) return false;
            if (pivot != col)
            {
                for (var c = 0; c < 4; c++) (a[col * 4 + c], a[pivot * 4 + c]) = (a[pivot * 4 + c], a[col * 4 + c]);
                (rhs[col], rhs[pivot]) = (rhs[pivot], rhs[col]);
            }
            for (var r = col + 1; r < 4; r++)
            {
                var factor = a[r * 4 + col] / a[col * 4 + col];
                for (var c = col; c < 4; c++) a[r * 4 + c] -= factor * a[col * 4 + c];
                rhs[r] -= factor * rhs[col];
            }
        }
        for (var r = 3; r >= 0; r--)
        {
            var sum = rhs[r];
            for (var c = r + 1; c < 4; c++) sum -= a[r * 4 + c] * x[c];
            x[r] = sum / a[r * 4 + r];
        }
        return double.IsFinite(x[0] + x[1] + x[2] + x[3]);
    }
}
