using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Konvid.EndToEnd.Tests.Support;

namespace Konvid.EndToEnd.Tests.Slurm;

/// <summary>
/// The "Must show": Features on the sample corpus as a 3-task Slurm array, then Jsonl, equals the unsharded
/// run byte for byte apart from ingested_at_utc.
/// </summary>
public sealed partial class SlurmPipelineTests(SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);

    [SlurmFact]
    public async Task Features_as_a_three_task_slurm_array_then_jsonl_equals_the_unsharded_run_byte_for_byte()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var sharded = cluster.NewDirectory("work-sharded");
        var unsharded = cluster.NewDirectory("work-unsharded");

        // Upstream once per work dir, and this builds build/bin/Release, which the array tasks then only run.
        foreach (var work in new[] { sharded, unsharded })
            await RunAsync(SlurmRepo.File("build.sh"), ["Download", "Verify", "Probe", "--corpus", "sample", "--work-dir", work], timeout.Token);

        // The user's path: Features with --scheduler slurm submits one 3-task array of the built output and waits for it.
        await RunAsync(SlurmRepo.File("build.sh"), ["Features", "--corpus", "sample", "--work-dir", sharded, "--jobs", "1",
            "--scheduler", "slurm", "--shards", "3", "--skip"], timeout.Token, cluster.SlurmConf);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(sharded, "sample", "logs", "slurm"), "konvid-features-*_*.log").Length);

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

    private static async Task RunAsync(string program, string[] args, CancellationToken ct, string? slurmConf = null)
    {
        var result = await Cli.Wrap(program).WithArguments(args).WithWorkingDirectory(SlurmRepo.Root)
            .WithEnvironmentVariables(e =>
            {
                e.Set("KONVID_SAMPLE_SIZE", "tiny");
                if (slurmConf is not null) e.Set("SLURM_CONF", slurmConf);
            })
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        Assert.True(result.ExitCode == 0, $"{Path.GetFileName(program)} {string.Join(' ', args)} exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
    }

    [GeneratedRegex("\"ingested_at_utc\":\"[^\"]*\"")]
    private static partial Regex IngestTime();
}
