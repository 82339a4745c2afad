using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Cluster;
using Konvid.Core.Tests.Support;
using Konvid.Testing;

namespace Konvid.Core.Tests.Cluster;

public class SlurmBatchScriptTests
{
    [Fact]
    public async Task Every_argument_reaches_the_task_unchanged_and_the_placeholder_becomes_this_tasks_shard()
    {
        using var dir = new TempDir();
        var spec = new SlurmJobSpec("quoting", ["printf", "[%s]\\n", "it's $HOME `x` \"q\"", "--shard", SlurmJobSpec.ShardPlaceholder, "a{shard}b", "", "--work-dir", dir["work dir"]],
            3, dir.Path, dir["logs"]);
        var script = dir["job.sbatch"];
        await File.WriteAllTextAsync(script, SlurmBatchScript.Render(spec));

        // bash is the oracle: the script must hand printf exactly these words, whatever they contain.
        var result = await Cli.Wrap("bash").WithArguments([script])
            .WithEnvironmentVariables(e => e.Set("SLURM_ARRAY_TASK_ID", "2").Set("SLURM_ARRAY_TASK_COUNT", "5").Set("SLURM_ARRAY_JOB_ID", "41"))
            .ExecuteBufferedAsync();

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("konvid: task 2/5 of array 41 on ", lines[0]);
        Assert.Equal(["[it's $HOME `x` \"q\"]", "[--shard]", "[2/5]", "[a2/5b]", "[]", "[--work-dir]", $"[{dir["work dir"]}]"], lines[1..]);
    }

    [Fact]
    public async Task Exported_variables_reach_the_command_verbatim()
    {
        using var dir = new TempDir();
        var spec = new SlurmJobSpec("env", ["bash", "-c", "printf '%s|%s' \"$KONVID_SAMPLE_SIZE\" \"$ODD\""], 1, dir.Path, dir["logs"],
            Environment: new Dictionary<string, string> { ["KONVID_SAMPLE_SIZE"] = "tiny", ["ODD"] = "a 'b' $c" });
        var script = dir["job.sbatch"];
        await File.WriteAllTextAsync(script, SlurmBatchScript.Render(spec));

        var result = await Cli.Wrap("bash").WithArguments([script])
            .WithEnvironmentVariables(e => e.Set("SLURM_ARRAY_TASK_ID", "0").Set("SLURM_ARRAY_TASK_COUNT", "1").Set("SLURM_ARRAY_JOB_ID", "1"))
            .ExecuteBufferedAsync();

        Assert.EndsWith("tiny|a 'b' $c", result.StandardOutput);
    }

    [Fact]
    public void A_variable_name_the_shell_cannot_take_is_refused() =>
        Assert.Contains("not a shell variable name", Assert.Throws<Konvid.Core.Workspace.KonvidException>(() => SlurmBatchScript.Render(
            new SlurmJobSpec("env", ["true"], 1, "/tmp", "/tmp", Environment: new Dictionary<string, string> { ["A-B"] = "x" }))).Message);

    [Fact]
    public async Task The_task_starts_in_the_working_directory_and_exits_with_the_commands_exit_code()
    {
        using var dir = new TempDir();
        var spec = new SlurmJobSpec("cwd", ["bash", "-c", "pwd; exit 4"], 1, dir.Path, dir["logs"]);
        var script = dir["job.sbatch"];
        await File.WriteAllTextAsync(script, SlurmBatchScript.Render(spec));

        var result = await Cli.Wrap("bash").WithArguments([script]).WithWorkingDirectory("/")
            .WithEnvironmentVariables(e => e.Set("SLURM_ARRAY_TASK_ID", "0").Set("SLURM_ARRAY_TASK_COUNT", "1").Set("SLURM_ARRAY_JOB_ID", "1"))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

        Assert.Equal(4, result.ExitCode);
        Assert.EndsWith(dir.Path + "\n", result.StandardOutput);
    }

    [Fact]
    public void The_human_template_in_deploy_runs_the_built_output_per_array_task_and_never_builds()
    {
        var template = File.ReadAllText(ShardingRepo.File("deploy/slurm/konvid-array.sbatch"));
        var code = template.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Contains("exec dotnet \"$KONVID_BUILD_DLL\" \"$KONVID_TARGET\" \\", code);
        Assert.Contains("--shard \"${SLURM_ARRAY_TASK_ID}/${KONVID_SHARDS}\" \\", code);
        Assert.Contains("KONVID_SHARDS=${KONVID_SHARDS:-$SLURM_ARRAY_TASK_COUNT}", code);
        Assert.Equal("--skip", code[^1]);
        Assert.Contains("KONVID_BUILD_DLL=${KONVID_BUILD_DLL:-$KONVID_REPO/build/bin/Release/net10.0/_build.dll}", code);
        Assert.DoesNotContain(code, l => l.StartsWith("./build.sh", StringComparison.Ordinal) || l.Contains("dotnet build", StringComparison.Ordinal));
        Assert.Equal("set -euo pipefail", code[0]);
    }
}
