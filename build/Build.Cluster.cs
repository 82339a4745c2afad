using System.Globalization;
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
            ["dotnet", Path.Combine(AppContext.BaseDirectory, "_build.dll"), target,
                "--corpus", CorpusName, "--work-dir", Path.GetFullPath(WorkDir), "--jobs", Jobs.ToString(CultureInfo.InvariantCulture),
                "--deep-features", DeepFeatures ? "true" : "false", "--device", Device.ToString().ToLowerInvariant(),
                "--shard", SlurmJobSpec.ShardPlaceholder, "--skip"],
            Shards, RootDirectory, Path.Combine(Layout.Root, "logs", "slurm")), Progress, ct);
}
