using Konvid.Core.Workspace;

namespace Konvid.Core.Corpora;

/// <summary>
/// SSIM to MOS for the sample corpus. Raw SSIM of graded distortions is skewed (most variants sit above 0.9), so it
/// is first put on ffmpeg's dB scale, <c>-10 log10(1 - SSIM)</c>, where the variants spread evenly, and then through
/// the logistic that sends the corpus's 10th percentile to 1.4 and its 90th to 4.6:
/// <c>MOS = 1 + 4 / (1 + exp(-(dB - CenterDb) / ScaleDb))</c>. Monotone in SSIM, inside (1, 5), and fitted to the
/// corpus, so the labels use the whole ACR scale whatever the content.
/// </summary>
public sealed record SampleMosMapping(double CenterDb, double ScaleDb)
{
    public const double LowQuantile = 0.10;
    public const double HighQuantile = 0.90;

    /// <summary>The MOS the low and high quantiles land on: logistic(±ln 9) = 0.1 / 0.9, so 1 + 4 x 0.1 and 1 + 4 x 0.9.</summary>
    public const double LowMos = 1.4, HighMos = 4.6;

    /// <summary>SSIM 1 (identical frames) has no finite dB; ffmpeg prints "inf". The cap is above any lossy encode.</summary>
    public const double MaxDb = 60;

    public static double ToDb(double ssim) => ssim >= 1 ? MaxDb : Math.Min(MaxDb, -10 * Math.Log10(1 - ssim));

    public double Mos(double ssim) => 1 + 4 / (1 + Math.Exp(-(ToDb(ssim) - CenterDb) / ScaleDb));

    /// <summary>The logistic through (P10, 1.4) and (P90, 4.6) of the corpus's SSIM in dB.</summary>
    public static SampleMosMapping Fit(IReadOnlyCollection<double> ssim)
    {
        var db = ssim.Select(ToDb).Order().ToArray();
        if (db.Length < 2 || db[^1] - db[0] <= 0)
            throw new KonvidException($"sample corpus: {db.Length} clips with one SSIM value between them: labels would not spread",
                "use more scenes or variants per scene (SampleOptions)");
        var low = Quantile(db, LowQuantile);
        var high = Quantile(db, HighQuantile);
        // With very few distinct values both quantiles can coincide; then spread over the whole range instead.
        if (high - low <= 1e-9) (low, high) = (db[0], db[^1]);
        return new SampleMosMapping((low + high) / 2, (high - low) / (2 * Math.Log(9)));
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default, R type 7) over sorted values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
