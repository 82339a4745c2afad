using System.Text.RegularExpressions;
using Konvid.Core.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Konvid.Core.Tests.Cluster;

/// <summary>
/// CI cannot run Kubernetes, so the Indexed Job is checked for the fields the worker relies on: one pod per shard,
/// the pod's index as its shard, the same N everywhere, and the shared work dir mounted where --work-dir points.
/// </summary>
public partial class KubernetesManifestTests
{
    private const string BuildDll = "/konvid/build/bin/Release/net10.0/_build.dll";

    private static readonly IReadOnlyList<YamlMappingNode> Documents = Directory
        .EnumerateFiles(ShardingRepo.File("deploy/k8s"), "*.yaml").Order(StringComparer.Ordinal).SelectMany(Load).ToList();

    private static IEnumerable<YamlMappingNode> Jobs => Documents.Where(d => Text(d, "kind") == "Job");

    private static YamlMappingNode Job => Jobs.Single(d => Text(Map(d, "metadata"), "name") == "konvid-features");

    private static YamlMappingNode JobSpec => Map(Job, "spec");

    private static YamlMappingNode PodSpec => PodSpecOf(Job);

    private static YamlMappingNode Worker => WorkerOf(Job);

    private static List<string> Args => ArgsOf(Job);

    [Fact]
    public void Is_an_indexed_batch_job_running_every_shard_at_once()
    {
        Assert.Equal("batch/v1", Text(Job, "apiVersion"));
        Assert.Equal("Indexed", Text(JobSpec, "completionMode"));
        Assert.True(int.Parse(Text(JobSpec, "completions")) > 1);
        Assert.Equal(Text(JobSpec, "completions"), Text(JobSpec, "parallelism"));
    }

    [Fact]
    public void Each_pod_runs_the_shard_of_its_completion_index_out_of_completions()
    {
        var shard = Args[Args.IndexOf("--shard") + 1];

        var match = ShardArgument().Match(shard);
        Assert.True(match.Success, $"--shard {shard} is not $(JOB_COMPLETION_INDEX)/N");
        Assert.Equal(Text(JobSpec, "completions"), match.Groups[1].Value);
        Assert.Equal("Features", Args[0]);
        Assert.Contains("--corpus", Args);
        // Without it every pod would re-run Download/Verify/Probe for its shard, all writing the same manifest.
        Assert.Equal("--skip", Args[^1]);
    }

    [Fact]
    public void The_pod_runs_the_prebuilt_build_output_and_the_image_builds_exactly_that()
    {
        Assert.Equal(["dotnet", BuildDll], Seq(Worker, "command").Select(c => ((YamlScalarNode)c).Value));
        var dockerfile = File.ReadAllText(ShardingRepo.File("deploy/k8s/Dockerfile"));
        Assert.Contains($"test -f {BuildDll}", dockerfile);
        Assert.Contains("dotnet build build/_build.csproj -c Release", dockerfile);
        Assert.Contains("ffmpeg", dockerfile);
        Assert.Contains("dotnet-sdk-10.0", dockerfile);
    }

    [Fact]
    public void Every_job_mounts_the_one_shared_claim_where_its_work_dir_points()
    {
        Assert.Equal(["konvid-features", "konvid-finish", "konvid-prep"], Jobs.Select(j => Text(Map(j, "metadata"), "name")).Order(StringComparer.Ordinal));
        foreach (var job in Jobs)
        {
            var args = ArgsOf(job);
            var workDir = args[args.IndexOf("--work-dir") + 1];
            var mount = Seq(WorkerOf(job), "volumeMounts").Cast<YamlMappingNode>().Single(m => Text(m, "mountPath") == workDir);
            var volume = Seq(PodSpecOf(job), "volumes").Cast<YamlMappingNode>().Single(v => Text(v, "name") == Text(mount, "name"));
            var claimName = Text(Map(volume, "persistentVolumeClaim"), "claimName");

            var claim = Documents.Single(d => Text(d, "kind") == "PersistentVolumeClaim" && Text(Map(d, "metadata"), "name") == claimName);
            // Shards run on many nodes at once and all write into the same work dir.
            Assert.Contains("ReadWriteMany", Seq(Map(claim, "spec"), "accessModes").Select(a => ((YamlScalarNode)a).Value));
            Assert.Equal(Args[Args.IndexOf("--work-dir") + 1], workDir);
            Assert.Equal(Args[Args.IndexOf("--corpus") + 1], args[args.IndexOf("--corpus") + 1]);
            Assert.Equal(Text(Worker, "image"), Text(WorkerOf(job), "image"));
            Assert.Equal(["dotnet", BuildDll], Seq(WorkerOf(job), "command").Select(c => ((YamlScalarNode)c).Value));
        }
    }

    [Fact]
    public void Prep_runs_the_serial_stages_and_finish_takes_the_union_without_featurising_again()
    {
        var prep = ArgsOf(Jobs.Single(j => Text(Map(j, "metadata"), "name") == "konvid-prep"));
        var finish = ArgsOf(Jobs.Single(j => Text(Map(j, "metadata"), "name") == "konvid-finish"));

        Assert.Equal(["Download", "Verify", "Probe"], prep.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)));
        Assert.Equal(["Jsonl", "Train", "Gate"], finish.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)));
        Assert.Equal(["Download", "Verify", "Probe", "Features"], finish.SkipWhile(a => a != "--skip").Skip(1));
    }

    [Fact]
    public void A_failed_shard_is_retried_on_its_own_and_parallel_clips_match_the_cpu_request()
    {
        Assert.Equal("Never", Text(PodSpec, "restartPolicy"));
        Assert.True(int.Parse(Text(JobSpec, "backoffLimitPerIndex")) >= 1);
        var requests = Map(Map(Worker, "resources"), "requests");
        Assert.Equal(Text(requests, "cpu"), Args[Args.IndexOf("--jobs") + 1]);
        Assert.False(string.IsNullOrEmpty(Text(requests, "memory")));
    }

    private static YamlMappingNode PodSpecOf(YamlMappingNode job) => Map(Map(Map(job, "spec"), "template"), "spec");

    private static YamlMappingNode WorkerOf(YamlMappingNode job) => Assert.IsType<YamlMappingNode>(Assert.Single(Seq(PodSpecOf(job), "containers")));

    private static List<string> ArgsOf(YamlMappingNode job) => Seq(WorkerOf(job), "args").Select(a => ((YamlScalarNode)a).Value!).ToList();

    [GeneratedRegex(@"^\$\(JOB_COMPLETION_INDEX\)/(\d+)$")]
    private static partial Regex ShardArgument();

    private static List<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        return stream.Documents.Select(d => Assert.IsType<YamlMappingNode>(d.RootNode)).ToList();
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => Assert.IsType<YamlMappingNode>(Child(node, key));

    private static YamlSequenceNode Seq(YamlMappingNode node, string key) => Assert.IsType<YamlSequenceNode>(Child(node, key));

    private static string Text(YamlMappingNode node, string key) => Assert.IsType<YamlScalarNode>(Child(node, key)).Value ?? "";

    private static YamlNode Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : throw new Xunit.Sdk.XunitException($"manifest lacks '{key}'");
}
