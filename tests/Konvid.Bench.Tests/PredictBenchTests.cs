using Konvid.Core.Workspace;
using Konvid.Testing;
using Xunit.Abstractions;

namespace Konvid.Bench.Tests;

public class PredictBenchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_quick_predict_bench_scores_every_clip_and_reports_clips_per_second_beside_features_alone()
    {
        using var dir = new TempDir();
        var options = new BenchOptions(dir.Path, dir["work"], "sample", Jobs: 2, Quick: true, dir["bench.md"]);
        var log = new BenchLog();

        await PredictBench.RunAsync(new BenchContext(options, log, NullProgress.Instance), default);

        var row = Assert.Single(log.Rows);
        output.WriteLine($"{row.Name}: {row.Note}");
        Assert.StartsWith("Batch Predict (deep off) vs Features alone, 2 clips", row.Name);
        Assert.Equal(2, row.Ours.Work);
        Assert.Equal("clips", row.Limit!.Unit);
        Assert.Contains("clips/s scored", row.Note);
    }
}
