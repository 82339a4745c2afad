using System.Globalization;

namespace Konvid.Bench;

/// <summary>How figures read in docs/benchmarks.md: invariant culture, three significant digits.</summary>
public static class BenchFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Number(double value) => value switch
    {
        0 => "0",
        >= 1000 or <= -1000 => value.ToString("#,0", Invariant),
        >= 100 or <= -100 => value.ToString("0", Invariant),
        >= 10 or <= -10 => value.ToString("0.#", Invariant),
        >= 1 or <= -1 => value.ToString("0.##", Invariant),
        _ => value.ToString("0.###", Invariant),
    };

    public static string Seconds(double seconds) => seconds >= 120
        ? $"{Number(seconds / 60)} min"
        : $"{Number(seconds)} s";

    public static string Ratio(double ratio) => $"{Number(ratio)}x";

    /// <summary>"1.23 s [1.2-1.3]": median, then min-max of the timed runs (just the median for one run).</summary>
    public static string Timing(Timing t) => t.Samples.Count == 1
        ? Seconds(t.Median)
        : $"{Seconds(t.Median)} [{Number(t.Min)}-{Number(t.Max)}]";

    public static string Throughput(double perSecond, string unit) => unit switch
    {
        "B" => $"{Number(perSecond / (1 << 20))} MiB/s",
        _ => $"{Number(perSecond)} {unit}/s",
    };

    public static string Measured(Measured m)
    {
        var parts = new List<string> { $"{m.What}: {Timing(m.Seconds)}" };
        if (m.Throughput is { } t && m.Unit is { } unit) parts.Add(Throughput(t, unit));
        if (m.PeakRssMb is { } mb) parts.Add($"peak RSS +{Number(mb)} MB");
        return string.Join(", ", parts);
    }
}
