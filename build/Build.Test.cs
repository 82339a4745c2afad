using Konvid.Bench;
using Konvid.Targets;
using Konvid.Targets.Tools;

namespace Konvid.Build;

partial class Build
{
    [Parameter("Test filter (dotnet test --filter syntax), for Test")]
    string? TestFilter;

    /// <summary>The test projects, fastest first: a broken engine shows before the long end-to-end runs.</summary>
    static readonly string[] TestProjects =
    [
        "tests/Konvid.Targets.Tests",
        "tests/Konvid.Core.Tests",
        "tests/Konvid.Bench.Tests",
        "tests/Konvid.Reliability.Tests",
        "tests/Konvid.EndToEnd.Tests",
    ];

    Target Test => _ => _
        .Description("Run the test suite, list skipped tests and print 'N passed, N failed, N skipped'")
        .Executes(ct => DotNetTest.RunAsync(RootDirectory, TestProjects, TestFilter, ct));

    [Parameter("Bench: fewer runs on smaller inputs (under 2 minutes), writes <work-dir>/bench/benchmarks-quick.md, fails only if a stage breaks")]
    bool Quick;

    [Parameter("Bench: run only the benchmarks whose name contains this text (e.g. 150,000); writes <work-dir>/bench/benchmarks-only.md")]
    string? BenchOnly;

    Target Bench => _ => _
        .Description("Measure throughput against the physical limits and rewrite docs/benchmarks.md")
        .Executes(ct => BenchRunner.RunAsync(new BenchOptions(RootDirectory, WorkDir, Corpus ?? "sample", Jobs, Quick,
            Quick || BenchOnly is not null
                ? Path.Combine(Path.GetFullPath(WorkDir), "bench", BenchOnly is null ? "benchmarks-quick.md" : "benchmarks-only.md")
                : Path.Combine(RootDirectory, "docs", "benchmarks.md"), BenchOnly), Progress, ct));
}
