namespace Konvid.Core.Cluster;

/// <summary>
/// One Slurm array job: <see cref="TaskCount"/> tasks, each running <see cref="Command"/> in <see cref="WorkingDirectory"/>
/// with every <see cref="ShardPlaceholder"/> replaced by <c>$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT</c>.
/// </summary>
/// <param name="JobName">Slurm job name; also names the script and the log files.</param>
/// <param name="Command">argv of the task, e.g. <c>dotnet build/bin/Release/net10.0/_build.dll Features --shard {shard} ...</c>; the built output, never a build.</param>
/// <param name="TaskCount">N: the array is <c>0-(N-1)</c>.</param>
/// <param name="WorkingDirectory">Where each task starts (the shared checkout).</param>
/// <param name="LogDirectory">Receives the generated sbatch script and one log per task (<c>&lt;name&gt;-&lt;jobid&gt;_&lt;task&gt;.log</c>).</param>
/// <param name="Environment">Variables exported in the script before the command (e.g. <c>KONVID_DEEP_FEATURES</c>); the
/// submitting environment reaches the tasks anyway (sbatch's default <c>--export=ALL</c>), these are on top.</param>
/// <param name="SbatchOptions">Extra <c>#SBATCH</c> options, e.g. <c>--cpus-per-task=8</c>, <c>--partition=cpu</c>, <c>--time=04:00:00</c>.</param>
/// <param name="SlurmConf">Path for <c>SLURM_CONF</c> of sbatch/scontrol/scancel; null keeps the caller's environment (which honours its SLURM_CONF).</param>
/// <param name="PollInterval">How often <c>scontrol show job</c> is asked right after a task ended; null means 0.2 s. The wait grows to 5 s while none ends.</param>
public sealed record SlurmJobSpec(
    string JobName,
    IReadOnlyList<string> Command,
    int TaskCount,
    string WorkingDirectory,
    string LogDirectory,
    IReadOnlyDictionary<string, string>? Environment = null,
    IReadOnlyList<string>? SbatchOptions = null,
    string? SlurmConf = null,
    TimeSpan? PollInterval = null)
{
    /// <summary>Stands for this task's shard (<c>I/N</c>) anywhere inside a <see cref="Command"/> argument.</summary>
    public const string ShardPlaceholder = "{shard}";

    public string ScriptPath => Path.Combine(Path.GetFullPath(LogDirectory), JobName + ".sbatch");

    public string LogFile(string jobId, int task) => Path.Combine(Path.GetFullPath(LogDirectory), $"{JobName}-{jobId}_{task}.log");
}
