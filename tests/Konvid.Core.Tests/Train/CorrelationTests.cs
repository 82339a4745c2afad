using Konvid.Core.Train;

namespace Konvid.Core.Tests.Train;

/// <summary>
/// Expected values are scipy's, from the examples in the SciPy reference documentation (scipy.stats.pearsonr,
/// spearmanr, kendalltau), each re-derived by hand in closed form in the comments; scipy cannot run here.
/// </summary>
public class CorrelationTests
{
    [Fact]
    public void Plcc_matches_scipy_pearsonr_documentation_example()
    {
        // scipy.stats.pearsonr docs: x = [1..7], y = [10, 9, 2.5, 6, 4, 3, 2] -> statistic -0.828503883588428.
        // By hand: Sxy = -34.5, Sxx = 28, Syy = 867/14, r = -34.5 / sqrt(28 * 867/14) = -34.5 / sqrt(1734).
        double[] x = [1, 2, 3, 4, 5, 6, 7];
        double[] y = [10, 9, 2.5, 6, 4, 3, 2];
        Assert.Equal(-0.828503883588428, Correlation.Plcc(x, y), 12);
        Assert.Equal(-34.5 / Math.Sqrt(1734), Correlation.Plcc(x, y), 12);
    }

    [Fact]
    public void Srocc_averages_tied_ranks_like_scipy_spearmanr()
    {
        // scipy.stats.spearmanr docs: spearmanr([1,2,3,4,5], [5,6,7,8,7]) -> statistic 0.8207826816681233.
        // By hand: y's two 7s share rank 3.5, ranks y = [1, 2, 3.5, 5, 3.5]; Sxy = 8, Sxx = 10, Syy = 9.5, rho = 8 / sqrt(95).
        Assert.Equal(0.8207826816681233, Correlation.Srocc([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 12);
    }

    [Fact]
    public void Srocc_with_ties_in_both_inputs_matches_hand_ranked_value()
    {
        // The kendalltau docs vectors, ties on both sides. Average ranks: x = [4.5, 2.5, 1, 4.5, 2.5], y = [2.5, 4, 5, 2.5, 1];
        // deviations from 3: Sxy = -5, Sxx = 9, Syy = 9.5, rho = -5 / sqrt(85.5) = -0.5407380704358751.
        Assert.Equal(-5 / Math.Sqrt(85.5), Correlation.Srocc([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]), 12);
        Assert.Equal([4.5, 2.5, 1, 4.5, 2.5], Correlation.AverageRanks([12, 2, 1, 12, 2]));
    }

    [Fact]
    public void Krocc_is_tau_b_matching_scipy_kendalltau_documentation_example()
    {
        // scipy.stats.kendalltau docs: x1 = [12, 2, 1, 12, 2], x2 = [1, 4, 7, 1, 0] -> statistic -0.47140452079103173.
        // By hand over the 10 pairs: 2 concordant, 6 discordant, 2 tied in x, 1 tied in y (one pair tied in both):
        // tau_b = (2 - 6) / sqrt((10 - 2) * (10 - 1)) = -4 / sqrt(72).
        Assert.Equal(-0.47140452079103173, Correlation.Krocc([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]), 12);
    }

    [Fact]
    public void Rmse_is_root_mean_square_of_differences()
    {
        // Differences 1, -1, 2, 0: mean square 6/4, RMSE sqrt(1.5).
        Assert.Equal(Math.Sqrt(1.5), Correlation.Rmse([2, 1, 5, 4], [1, 2, 3, 4]), 12);
    }

    public static TheoryData<string> Metrics => new() { "plcc", "srocc", "krocc", "rmse" };

    [Theory]
    [MemberData(nameof(Metrics))]
    public void NaN_input_is_a_clear_error_not_a_NaN_metric(string metric)
    {
        var e = Assert.Throws<ArgumentException>(() => Run(metric, [1, 2, double.NaN, 4], [1, 2, 3, 4]));
        Assert.Contains("NaN at index 2", e.Message);
        Assert.Contains("finite", e.Message);
    }

    [Theory]
    [InlineData("plcc")]
    [InlineData("srocc")]
    [InlineData("krocc")]
    public void Zero_variance_is_a_clear_error_not_a_NaN_metric(string metric)
    {
        var e = Assert.Throws<ArgumentException>(() => Run(metric, [1, 2, 3, 4], [3, 3, 3, 3]));
        Assert.Contains("second input is constant (zero variance)", e.Message);
    }

    [Fact]
    public void Logistic_fit_recovers_the_parameters_that_generated_the_data()
    {
        // Oracle: points generated from a known 4-parameter logistic; least squares must land on it (zero residual).
        var truth = new LogisticMapping(4.6, 1.3, 0.4, 0.15);
        var x = Enumerable.Range(0, 40).Select(i => -0.2 + i * 0.03).ToArray();
        var y = x.Select(truth.Map).ToArray();
        var fit = LogisticMapping.Fit(x, y);
        Assert.Equal(truth.B1, fit.B1, 4);
        Assert.Equal(truth.B2, fit.B2, 4);
        Assert.Equal(truth.B3, fit.B3, 4);
        Assert.Equal(truth.B4, Math.Abs(fit.B4), 4);
        Assert.Equal(1.0, ModelMetrics.Compute(x, y).PlccLogistic, 6);
    }

    private static double Run(string metric, double[] x, double[] y) => metric switch
    {
        "plcc" => Correlation.Plcc(x, y),
        "srocc" => Correlation.Srocc(x, y),
        "krocc" => Correlation.Krocc(x, y),
        _ => Correlation.Rmse(x, y),
    };
}
