
namespace Konvid.Bench.Tests;

public class PeakRssTests
{
    [Fact]
    public async Task A_run_that_touches_100_MB_shows_at_least_that_much_peak_growth()
    {
        Assert.True(PeakRss.Supported, "this test needs Linux /proc");
        const int bytes = 100_000_000;
        var sampled = await Sampled.RunAsync(1, null, _ =>
        {
            // Touch every page so it is really resident, not just reserved.
            var block = GC.AllocateUninitializedArray<byte>(bytes);
            for (var i = 0; i < block.Length; i += 4096) block[i] = 1;
            GC.KeepAlive(block);
            return Task.CompletedTask;
        }, CancellationToken.None, watchMemory: true, warmUp: false);

        // The oracle is the allocation itself: 100 MB touched, plus whatever the runtime adds around it.
        Assert.InRange(sampled.PeakRssMb!.Value, bytes / 1e6, 3 * bytes / 1e6);
    }
}
