using Konvid.Core.Corpora;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Corpora;

public class SampleMosMappingTests
{
    [Fact]
    public void Quantile_interpolates_like_numpy_and_r_type_7()
    {
        // Oracle: Python's statistics.quantiles(d, n=10, method='inclusive'), documented as R type 7 / numpy's
        // default; printed 3.0100000000000002, 6.95, 14.940000000000001 for these values.
        double[] d = [2.1, 3.4, 5.0, 6.2, 7.7, 9.1, 12.0, 21.8];
        Assert.Equal(3.01, SampleMosMapping.Quantile(d, 0.1), 9);
        Assert.Equal(6.95, SampleMosMapping.Quantile(d, 0.5), 9);
        Assert.Equal(14.94, SampleMosMapping.Quantile(d, 0.9), 9);
    }

    [Fact]
    public void A_skewed_ssim_distribution_is_spread_over_the_whole_acr_scale()
    {
        // Like the sample's raw SSIM: most variants above 0.9, a long tail down to 0.5.
        double[] ssim = [0.50, 0.62, 0.71, 0.78, 0.84, 0.88, 0.90, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.985, 0.99];
        var mapping = SampleMosMapping.Fit(ssim);
        var mos = ssim.Select(mapping.Mos).ToList();

        Assert.True(mos.Min() < 2 && mos.Max() > 4, $"MOS {mos.Min():0.00}-{mos.Max():0.00} does not spread over 1-5");
        Assert.All(mos, m => Assert.InRange(m, 1, 5));
        Assert.All(mos.Zip(mos.Skip(1)), p => Assert.True(p.First < p.Second, "a higher SSIM must give a higher MOS"));

        var db = ssim.Select(SampleMosMapping.ToDb).Order().ToArray();
        Assert.Equal(SampleMosMapping.LowMos, 1 + 4 / (1 + Math.Exp(-(SampleMosMapping.Quantile(db, 0.1) - mapping.CenterDb) / mapping.ScaleDb)), 9);
        Assert.Equal(SampleMosMapping.HighMos, 1 + 4 / (1 + Math.Exp(-(SampleMosMapping.Quantile(db, 0.9) - mapping.CenterDb) / mapping.ScaleDb)), 9);
    }

    [Fact]
    public void Identical_frames_get_a_finite_top_label()
    {
        var mapping = SampleMosMapping.Fit([0.7, 0.9, 1.0]);
        Assert.True(double.IsFinite(mapping.Mos(1.0)));
        Assert.True(mapping.Mos(1.0) > mapping.Mos(0.9));
    }

    [Fact]
    public void A_corpus_whose_clips_all_measure_the_same_is_refused()
    {
        var e = Assert.Throws<KonvidException>(() => SampleMosMapping.Fit([0.9, 0.9, 0.9]));
        Assert.Contains("sample corpus", e.Problem);
    }
}
