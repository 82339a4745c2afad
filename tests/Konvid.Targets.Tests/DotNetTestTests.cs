using Konvid.Targets.Tools;

namespace Konvid.Targets.Tests;

/// <summary>The Test target's last line is counted from the TRX files, skipped tests included.</summary>
public class DotNetTestTests : IDisposable
{
    private readonly EngineHarness _h = new();

    public void Dispose() => _h.Dispose();

    /// <summary>
    /// The shape dotnet test's TRX logger writes (trimmed): a skipped xunit test is in total but not executed, its
    /// notExecuted counter stays 0, and its result has outcome NotExecuted with the skip reason as the message.
    /// </summary>
    private static string Trx(int total, int executed, int passed, int failed, params (string Name, string Reason)[] skipped) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            {string.Concat(skipped.Select(s => $"""<UnitTestResult testName="{s.Name}" outcome="NotExecuted"><Output><ErrorInfo><Message>{s.Reason}</Message></ErrorInfo></Output></UnitTestResult>"""))}
            <UnitTestResult testName="Some.Passing.Test" outcome="Passed" />
          </Results>
          <ResultSummary outcome="Completed">
            <Counters total="{total}" executed="{executed}" passed="{passed}" failed="{failed}" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
          </ResultSummary>
        </TestRun>
        """;

    [Fact]
    public void Skipped_tests_are_counted_and_named_with_their_reason()
    {
        File.WriteAllText(Path.Combine(_h.Root, "A.trx"), Trx(5, 3, 2, 1, ("E2E.Slurm.Runs_an_array", "Slurm test cluster unavailable: needs root"), ("E2E.Slurm.Cancels", "Slurm test cluster unavailable: needs root")));
        File.WriteAllText(Path.Combine(_h.Root, "B.trx"), Trx(4, 4, 4, 0));

        var counts = DotNetTest.Count(_h.Root);

        Assert.Equal((6, 1, 2), (counts.Passed, counts.Failed, counts.Skipped));
        Assert.Equal(["E2E.Slurm.Runs_an_array", "E2E.Slurm.Cancels"], counts.SkippedTests.Select(s => s.Name));
        Assert.All(counts.SkippedTests, s => Assert.Equal("Slurm test cluster unavailable: needs root", s.Reason));
    }
}
