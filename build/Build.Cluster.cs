using Konvid.Core.Cluster;
using Konvid.Targets;

namespace Konvid.Build;

partial class Build
{
    public enum SchedulerKind { Local, Slurm }

    [Parameter("Where Probe and Features run: local, or slurm (one array job of --shards tasks on the cluster)")]
    SchedulerKind Scheduler = SchedulerKind.Local;

    [Parameter("Number of shards (array tasks) for --scheduler slurm")]
    int Shards = 4;

    /// <summary>
    /// With --scheduler slurm, submits the target as one array job whose tasks run this already-built build output
    /// on their shard (never a build per task) and skip its dependencies, which ran here; null means run locally.
    /// </summary>
    Task? OnScheduler(string target, CancellationToken ct) => Scheduler != SchedulerKind.Slurm ? null
        : SlurmArray.RunAsync(new SlurmJobSpec(
            $"konvid-{target.ToLowerInvariant()}",
            ["dotnet", Path.Combine(AppContext.BaseDirectory, "_build.dll"), target, .. TaskArguments(target),
                "--shard", SlurmJobSpec.ShardPlaceholder, "--skip"],
            Shards, RootDirectory, Path.Combine(Layout.Root, "logs", "slurm")), Progress, ct);

    /// <summary>
    /// Every parameter the target and its dependencies read, as found in their declarations (a new Probe or Features
    /// parameter reaches the tasks without being listed here), resolved as this run resolved them: the corpus that
    /// Phase2 implied and the work dir as an absolute path. The scheduler's own parameters stay here; each task gets
    /// its shard.
    /// </summary>
    IEnumerable<string> TaskArguments(string target) => ParametersUsedBy(target)
        .Where(p => p.Member is not (nameof(Scheduler) or nameof(Shards) or nameof(Shard)))
        .SelectMany(p => p.Member switch
        {
            nameof(Corpus) => ["--corpus", CorpusName],
            nameof(WorkDir) => ["--work-dir", Path.GetFullPath(WorkDir)],
            _ => p.Arguments,
        });
}
