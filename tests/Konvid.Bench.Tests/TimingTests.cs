
namespace Konvid.Bench.Tests;

public class TimingTests
{
    // Hand-computed: sorted {1, 2, 3} -> median 2; sorted {1, 2, 3, 4} -> (2 + 3) / 2 = 2.5.
    [Fact]
    public void Median_of_an_odd_count_is_the_middle_sample_whatever_the_order()
    {
        var t = Timing.Of(3.0, 1.0, 2.0);
        Assert.Equal(2.0, t.Median);
        Assert.Equal(1.0, t.Min);
        Assert.Equal(3.0, t.Max);
    }

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_two_middle_samples()
    {
        var t = Timing.Of(4.0, 1.0, 3.0, 2.0);
        Assert.Equal(2.5, t.Median);
        Assert.Equal(1.0, t.Min);
        Assert.Equal(4.0, t.Max);
    }

    [Fact]
    public void A_single_run_is_its_own_median_min_and_max()
    {
        var t = Timing.Of(0.75);
        Assert.Equal((0.75, 0.75, 0.75), (t.Median, t.Min, t.Max));
    }

    [Fact]
    public void An_outlier_moves_the_max_but_not_the_median()
    {
        var t = Timing.Of(1.0, 1.1, 9.0);
        Assert.Equal(1.1, t.Median);
        Assert.Equal(9.0, t.Max);
    }

    [Fact]
    public void Empty_or_negative_samples_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Timing.Of());
        Assert.Throws<ArgumentException>(() => Timing.Of(1.0, -0.1));
        Assert.Throws<ArgumentException>(() => Timing.Of(double.NaN));
    }

    [Fact]
    public void Ratio_is_limit_time_over_our_time_at_the_medians()
    {
        // Limit medians 2 s, ours 2.5 s: we run at 2 / 2.5 = 0.8 of the limit's speed.
        var row = new BenchRow("x", new Measured("limit", Timing.Of(1.0, 2.0, 3.0)), new Measured("ours", Timing.Of(2.5, 2.4, 9.0)), new RatioAtLeast(0.8));
        Assert.Equal(0.8, row.Ratio!.Value, 12);
        Assert.True(row.Met);
        Assert.False((row with { Goal = new RatioAtLeast(0.81) }).Met);
    }

    [Fact]
    public void A_budget_checks_time_and_peak_memory()
    {
        var ours = new Measured("ours", Timing.Of(40, 50, 70), PeakRssMb: 450);
        Assert.True(new BenchRow("x", null, ours, new WithinBudget(60, 500)).Met);
        Assert.False(new BenchRow("x", null, ours, new WithinBudget(45, 500)).Met);
        Assert.False(new BenchRow("x", null, ours, new WithinBudget(60, 400)).Met);
        Assert.False(new BenchRow("x", null, ours with { PeakRssMb = null }, new WithinBudget(60, 500)).Met);
        Assert.Null(new BenchRow("x", null, ours, null).Met);
    }

    [Fact]
    public void Throughput_is_work_over_the_median_time()
    {
        var m = new Measured("curl", Timing.Of(2.0, 4.0, 3.0), 300, "MB");
        Assert.Equal(100, m.Throughput);
    }
}
