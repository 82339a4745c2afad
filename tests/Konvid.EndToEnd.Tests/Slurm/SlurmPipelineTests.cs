using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Sharding;
using Konvid.EndToEnd.Tests.Support;

namespace Konvid.EndToEnd.Tests.Slurm;

/// <summary>
/// The "Must show": Features on the sample corpus as a 3-task Slurm array, then Jsonl, equals the unsharded
/// run byte for byte apart from ingested_at_utc.
/// </summary>
public sealed partial class SlurmPipelineTests(SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    private const string PendingIntegration =
        "PENDING INTEGRATION: needs ./build.sh with working Download/Verify/Probe/Features/Jsonl and KONVID_SAMPLE_SIZE=tiny; "
        + "the lead deletes this Skip when the stages are merged";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);

    private static readonly Dictionary<string, string> TinySample = new() { ["KONVID_SAMPLE_SIZE"] = "tiny" };

    [SlurmFact(Skip = PendingIntegration)]
    public async Task Features_as_a_three_task_slurm_array_then_jsonl_equals_the_unsharded_run_byte_for_byte()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var sharded = cluster.NewDirectory("work-sharded");
        var unsharded = cluster.NewDirectory("work-unsharded");

        // Upstream once per work dir, and this builds build/bin/Release, which the array tasks then only run.
        foreach (var work in new[] { sharded, unsharded })
            await RunAsync(SlurmRepo.File("build.sh"), ["Download", "Verify", "Probe", "--corpus", "sample", "--work-dir", work], timeout.Token);

        var report = await SlurmArray.RunAsync(
            new SlurmJobSpec("konvid-features",
                ["dotnet", SlurmRepo.BuildDll, "Features", "--corpus", "sample", "--work-dir", sharded, "--jobs", "1", "--shard", SlurmJobSpec.ShardPlaceholder, "--skip"],
                TaskCount: 3, WorkingDirectory: SlurmRepo.Root, LogDirectory: cluster.NewDirectory("logs"), Environment: TinySample, SlurmConf: cluster.SlurmConf),
            new SlurmTestProgress(), timeout.Token);
        Assert.Equal([0, 0, 0], report.Tasks.Select(t => t.ExitCode));

        await RunAsync("dotnet", [SlurmRepo.BuildDll, "Features", "--corpus", "sample", "--work-dir", unsharded, "--skip"], timeout.Token);
        foreach (var work in new[] { sharded, unsharded })
            await RunAsync("dotnet", [SlurmRepo.BuildDll, "Jsonl", "--corpus", "sample", "--work-dir", work, "--skip"], timeout.Token);

        // The shards together wrote exactly the cache entries the single run wrote.
        Assert.Equal(CacheEntries(unsharded), CacheEntries(sharded));
        var expected = WithoutIngestTime(Path.Combine(unsharded, "sample", "sample.jsonl"));
        Assert.NotEmpty(expected);
        Assert.All(expected, row => Assert.Contains("\"features\":{", row));
        Assert.Equal(expected, WithoutIngestTime(Path.Combine(sharded, "sample", "sample.jsonl")));
    }

    private static List<string> CacheEntries(string work)
    {
        var root = Path.Combine(work, "sample", "features");
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
    }

    private static List<string> WithoutIngestTime(string jsonl) =>
        File.ReadAllLines(jsonl).Select(line => IngestTime().Replace(line, "\"ingested_at_utc\":\"-\"")).ToList();

    private static async Task RunAsync(string program, string[] args, CancellationToken ct)
    {
        var result = await Cli.Wrap(program).WithArguments(args).WithWorkingDirectory(SlurmRepo.Root)
            .WithEnvironmentVariables(e => e.Set("KONVID_SAMPLE_SIZE", "tiny"))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        Assert.True(result.ExitCode == 0, $"{Path.GetFileName(program)} {string.Join(' ', args)} exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
    }

    [GeneratedRegex("\"ingested_at_utc\":\"[^\"]*\"")]
    private static partial Regex IngestTime();
}
