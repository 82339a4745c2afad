namespace Konvid.Core.Features;

/// <summary>One measure's per-frame values of a clip, summarised as mean, std (population), p10 and p90.</summary>
internal sealed class FrameSeries(string name, int capacity)
{
    private double[] _values = new double[Math.Max(16, capacity)];

    public string Name { get; } = name;

    public int Count { get; private set; }

    public double Max { get; private set; } = double.NegativeInfinity;

    public void Add(double value)
    {
        // Growth only when the probe's frame count was low (VFR, missing nb_frames); amortised, not per frame.
        if (Count == _values.Length) Array.Resize(ref _values, _values.Length * 2);
        _values[Count++] = value;
        if (value > Max) Max = value;
    }

    /// <summary>Writes <c>name_mean/std/p10/p90</c>; a measure with no frames (TI of a one-frame clip) is 0: no change seen.</summary>
    public void WriteStats(SortedDictionary<string, double> into)
    {
        var values = _values.AsSpan(0, Count);
        double mean = 0, std = 0, p10 = 0, p90 = 0;
        if (Count > 0)
        {
            foreach (var v in values) mean += v;
            mean /= Count;
            double sq = 0;
            foreach (var v in values) sq += (v - mean) * (v - mean);
            std = Math.Sqrt(sq / Count);
            var sorted = values.ToArray();
            Array.Sort(sorted);
            p10 = Percentile(sorted, 0.10);
            p90 = Percentile(sorted, 0.90);
        }
        into[$"{Name}_mean"] = mean;
        into[$"{Name}_std"] = std;
        into[$"{Name}_p10"] = p10;
        into[$"{Name}_p90"] = p90;
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default), so values match common tooling.</summary>
    internal static double Percentile(ReadOnlySpan<double> sorted, double p)
    {
        var pos = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
