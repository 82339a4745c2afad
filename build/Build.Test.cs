using Konvid.Targets;
using Konvid.Targets.Tools;

namespace Konvid.Build;

partial class Build
{
    [Parameter("Test filter (dotnet test --filter syntax), for Test")]
    string? TestFilter;

    Target Test => _ => _
        .Description("Run the test suite and print 'N passed, N failed'")
        .Executes(ct => DotNetTest.RunAsync(RootDirectory, DotNetTest.DefaultProjects, TestFilter, ct));

    Target Bench => _ => _
        .Description("Measure throughput against the physical limits and rewrite docs/benchmarks.md")
        .Executes(() => throw NotYet("Bench"));
}
