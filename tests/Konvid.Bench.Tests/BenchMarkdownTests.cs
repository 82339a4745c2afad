
namespace Konvid.Bench.Tests;

public class BenchMarkdownTests
{
    private static readonly MachineFacts Machine = new(2, "Test CPU", 23.4, "5.1.9", ".NET 10.0.0", "Linux", new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero), "1.00 / 2.00 / 3.00", "4.00 / 5.00 / 6.00");

    private static BenchReport Report(IReadOnlyList<BenchRow> rows, IReadOnlyList<Omission>? omitted = null, IReadOnlyList<ScaleEstimate>? scale = null) =>
        new(Machine, false, 3, 2, rows, omitted ?? [], scale ?? [], ["a method note"], "docs/benchmarks.md", TimeSpan.FromMinutes(3));

    private static string Line(string markdown, string start) =>
        markdown.Split('\n').Single(l => l.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public void A_row_shows_limit_ours_ratio_goal_and_met()
    {
        var row = new BenchRow("Download vs curl", new Measured("curl", Timing.Of(1.0, 2.0, 3.0), 268_435_456, "B"),
            new Measured("Download", Timing.Of(2.5, 2.4, 2.6), 268_435_456, "B"), new RatioAtLeast(0.8));
        var line = Line(BenchMarkdown.Render(Report([row])), "| Download vs curl |");
        // curl: 256 MiB in 2 s = 128 MiB/s; ours 256 MiB in 2.5 s = 102.4 MiB/s; ratio 2 / 2.5 = 0.8.
        Assert.Equal("| Download vs curl | curl: 2 s [1-3], 128 MiB/s | Download: 2.5 s [2.4-2.6], 102 MiB/s | 0.8x | >= 0.8x | met |", line.TrimEnd('\r'));
    }

    [Fact]
    public void A_missed_goal_is_marked_and_its_note_says_why()
    {
        var row = new BenchRow("No-op Phase1", null, new Measured("./build.sh Phase1", Timing.Of(7.0, 6.0, 8.0)), new WithinBudget(5), "MSBuild start-up dominates");
        var md = BenchMarkdown.Render(Report([row]));
        Assert.Equal("| No-op Phase1 | - | ./build.sh Phase1: 7 s [6-8] | - | <= 5 s | **MISSED** |", Line(md, "| No-op Phase1 |").TrimEnd('\r'));
        Assert.Contains("- **No-op Phase1** (missed): MSBuild start-up dominates", md);
    }

    [Fact]
    public void Peak_memory_is_shown_and_checked_against_the_budget()
    {
        var row = new BenchRow("Jsonl 150k", null, new Measured("Jsonl", Timing.Of(30.0), 150_000, "rows", 620), new WithinBudget(60, 500));
        var line = Line(BenchMarkdown.Render(Report([row])), "| Jsonl 150k |");
        Assert.Equal("| Jsonl 150k | - | Jsonl: 30 s, 5,000 rows/s, peak RSS +620 MB | - | <= 60 s, <= 500 MB | **MISSED** |", line.TrimEnd('\r'));
    }

    [Fact]
    public void Machine_facts_omissions_and_extrapolation_are_written()
    {
        var md = BenchMarkdown.Render(Report([], [new Omission("Train 150k rows", "the Train stage is not on main yet")],
            [new ScaleEstimate("Features (deep off)", 3.6, "measured")]));
        Assert.Contains("| 2 | Test CPU | 23.4 GiB | 5.1.9 | .NET 10.0.0 | Linux | 1.00 / 2.00 / 3.00 | 4.00 / 5.00 / 6.00 |", md);
        Assert.Contains("- Train 150k rows: the Train stage is not on main yet", md);
        // 3.6 core-s x 152,265 clips / 3600 = 152.265 core-hours; / 2 cores = 76.1; / 64 = 2.38.
        Assert.Contains("| Features (deep off) | 3.6 | 152 | 76.1 | 2.38 | measured |", md);
    }
}
