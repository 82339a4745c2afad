namespace Konvid.Bench;

/// <summary>The timed repetitions of one measurement, in seconds; the warm-up run is never among them.</summary>
public sealed record Timing
{
    public IReadOnlyList<double> Samples { get; }

    public Timing(IEnumerable<double> samples)
    {
        Samples = samples.ToArray();
        if (Samples.Count == 0) throw new ArgumentException("a timing needs at least one sample", nameof(samples));
        if (Samples.Any(s => !double.IsFinite(s) || s < 0)) throw new ArgumentException("samples are finite non-negative seconds", nameof(samples));
    }

    public static Timing Of(params double[] samples) => new(samples);

    public double Min => Samples.Min();

    public double Max => Samples.Max();

    /// <summary>The middle sample, or the mean of the two middle ones for an even count.</summary>
    public double Median
    {
        get
        {
            var sorted = Samples.Order().ToArray();
            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }
}
