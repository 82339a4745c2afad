namespace Konvid.Core.Train;

/// <summary>
/// The agreement measures of video-quality work, over paired spans. Every function refuses what would make its value
/// undefined (different lengths, fewer than 2 pairs, NaN or infinity, a constant input) with an ArgumentException
/// that says which, instead of returning NaN.
/// </summary>
internal static class Correlation
{
    /// <summary>Pearson's linear correlation coefficient.</summary>
    public static double Plcc(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check(x, y, nameof(Plcc));
        double mx = Mean(x), my = Mean(y), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0) throw ZeroVariance(nameof(Plcc), "x");
        if (syy == 0) throw ZeroVariance(nameof(Plcc), "y");
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>Spearman's rank correlation: Pearson's over ranks, tied values sharing their average rank.</summary>
    public static double Srocc(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check(x, y, nameof(Srocc));
        var rx = AverageRanks(x);
        var ry = AverageRanks(y);
        if (rx.AsSpan().IndexOfAnyExcept(rx[0]) < 0) throw ZeroVariance(nameof(Srocc), "x");
        if (ry.AsSpan().IndexOfAnyExcept(ry[0]) < 0) throw ZeroVariance(nameof(Srocc), "y");
        return Plcc(rx, ry);
    }

    /// <summary>Kendall's tau-b: (concordant - discordant) / sqrt((n0 - ties in x) (n0 - ties in y)), O(n^2).</summary>
    public static double Krocc(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check(x, y, nameof(Krocc));
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (var i = 0; i < x.Length; i++)
            for (var j = i + 1; j < x.Length; j++)
            {
                var sx = Math.Sign(x[i] - x[j]);
                var sy = Math.Sign(y[i] - y[j]);
                if (sx == 0) tiesX++;
                if (sy == 0) tiesY++;
                if (sx * sy > 0) concordant++;
                else if (sx * sy < 0) discordant++;
            }
        var pairs = (long)x.Length * (x.Length - 1) / 2;
        if (tiesX == pairs) throw ZeroVariance(nameof(Krocc), "x");
        if (tiesY == pairs) throw ZeroVariance(nameof(Krocc), "y");
        return (concordant - discordant) / Math.Sqrt((double)(pairs - tiesX) * (pairs - tiesY));
    }

    /// <summary>Root mean squared error of <paramref name="predicted"/> against <paramref name="actual"/>.</summary>
    public static double Rmse(ReadOnlySpan<double> predicted, ReadOnlySpan<double> actual)
    {
        Check(predicted, actual, nameof(Rmse));
        double sum = 0;
        for (var i = 0; i < predicted.Length; i++) sum += (predicted[i] - actual[i]) * (predicted[i] - actual[i]);
        return Math.Sqrt(sum / predicted.Length);
    }

    /// <summary>1-based ranks, tied values getting the mean of the ranks they span (scipy's rankdata 'average').</summary>
    public static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[values.Length];
        for (var start = 0; start < keys.Length;)
        {
            var end = start;
            while (end + 1 < keys.Length && keys[end + 1] == keys[start]) end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }

    private static double Mean(ReadOnlySpan<double> v)
    {
        double sum = 0;
        foreach (var d in v) sum += d;
        return sum / v.Length;
    }

    private static void Check(ReadOnlySpan<double> x, ReadOnlySpan<double> y, string metric)
    {
        if (x.Length != y.Length) throw new ArgumentException($"{metric}: the inputs differ in length ({x.Length} vs {y.Length})");
        if (x.Length < 2) throw new ArgumentException($"{metric}: needs at least 2 pairs, got {x.Length}");
        for (var i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i])) throw new ArgumentException($"{metric}: the first input has {x[i]} at index {i}; every value must be a finite number");
            if (!double.IsFinite(y[i])) throw new ArgumentException($"{metric}: the second input has {y[i]} at index {i}; every value must be a finite number");
        }
    }

    private static ArgumentException ZeroVariance(string metric, string which) =>
        new($"{metric}: {(which == "x" ? "the first" : "the second")} input is constant (zero variance), so the correlation is undefined");
}
