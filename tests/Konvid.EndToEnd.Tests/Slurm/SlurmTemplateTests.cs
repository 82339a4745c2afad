using Konvid.EndToEnd.Tests.Support;

namespace Konvid.EndToEnd.Tests.Slurm;

/// <summary>
/// deploy/slurm/konvid-array.sbatch, submitted by hand as its README says, on the real test cluster. A stand-in
/// `dotnet` first on PATH records the argv each task would hand the built build project. The template's 8 CPUs and
/// 8 GB are scaled down on sbatch's command line (which overrides #SBATCH lines) to fit the test node.
/// </summary>
public sealed class SlurmTemplateTests(SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    [SlurmFact]
    public async Task Each_array_task_runs_the_built_target_on_its_own_shard_with_the_extra_arguments()
    {
        var dir = cluster.NewDirectory("template");
        var argv = await SubmitAndWaitAsync(dir, ["--array=0-2"], ["--deep-features", "false"]);

        for (var task = 0; task < 3; task++)
            Assert.Equal(
                [Path.Combine(dir, "_build.dll"), "Features", "--corpus", "konvid-150k", "--work-dir", Path.Combine(dir, "work"),
                    "--jobs", "1", "--shard", $"{task}/3", "--deep-features", "false", "--skip"],
                argv[task]);
    }

    [SlurmFact]
    public async Task Resubmitting_one_task_keeps_the_original_shard_count_when_told()
    {
        var dir = cluster.NewDirectory("template-subset");
        var argv = await SubmitAndWaitAsync(dir, ["--array=1", "--export=ALL,KONVID_SHARDS=3"], []);

        var task = Assert.Single(argv);
        Assert.Equal(1, task.Key);
        Assert.Contains("1/3", task.Value);
    }

    [SlurmFact]
    public async Task A_task_without_the_built_output_fails_and_says_to_build_once_first()
    {
        var dir = cluster.NewDirectory("template-unbuilt");
        File.Delete(Path.Combine(dir, "_build.dll"));
        var argv = await SubmitAndWaitAsync(dir, ["--array=0"], [], buildDll: false);

        Assert.Empty(argv);
        var log = File.ReadAllText(Path.Combine(dir, "logs", "task-0.log"));
        Assert.Contains("is missing: build once on the login node", log);
        var state = await cluster.ClientAsync("scontrol", "-o", "show", "job");
        Assert.Contains("ExitCode=2:0", state.StandardOutput.Split('\n').Single(l => l.Contains($"WorkDir={dir} ", StringComparison.Ordinal)));
    }

    private async Task<Dictionary<int, string[]>> SubmitAndWaitAsync(string dir, string[] options, string[] extra, bool buildDll = true)
    {
        var bin = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
        var fakeDotnet = Path.Combine(bin, "dotnet");
        await File.WriteAllTextAsync(fakeDotnet, "#!/bin/bash\nprintf '%s\\n' \"$@\" > \"$KONVID_WORK_DIR/argv-$SLURM_ARRAY_TASK_ID\"\n");
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(fakeDotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (buildDll) await File.WriteAllTextAsync(Path.Combine(dir, "_build.dll"), "stand-in");
        var work = Directory.CreateDirectory(Path.Combine(dir, "work")).FullName;
        Directory.CreateDirectory(Path.Combine(dir, "logs"));

        var template = SlurmRepo.File("deploy/slurm/konvid-array.sbatch");
        var exports = $"PATH={bin}:/usr/bin:/bin,KONVID_BUILD_DLL={Path.Combine(dir, "_build.dll")},KONVID_WORK_DIR={work},KONVID_REPO={dir}";
        var merged = options.Select(o => o.StartsWith("--export=ALL,", StringComparison.Ordinal) ? $"{o},{exports}" : o).ToList();
        if (!merged.Any(o => o.StartsWith("--export=", StringComparison.Ordinal))) merged.Add($"--export=ALL,{exports}");
        var submit = await cluster.ClientAsync("sbatch", ["--parsable", "--cpus-per-task=1", "--mem=1", $"--chdir={dir}", $"--output={dir}/logs/task-%a.log", .. merged, template, .. extra]);
        Assert.True(submit.ExitCode == 0, submit.StandardError);
        var jobId = submit.StandardOutput.Trim();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await cluster.ClientAsync("squeue", "-h", "-j", jobId)).StandardOutput.Trim().Length > 0)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                Assert.Fail($"array {jobId} did not end: {(await cluster.ClientAsync("scontrol", "-o", "show", "job", jobId)).StandardOutput}");
            await Task.Delay(100);
        }
        return Directory.EnumerateFiles(work, "argv-*")
            .ToDictionary(f => int.Parse(Path.GetFileName(f)["argv-".Length..]), f => File.ReadAllLines(f));
    }
}
