namespace Konvid.Targets.Tests;

/// <summary>
/// A cluster task must receive every parameter the forwarded target and its dependencies read: the engine finds them
/// in the declarations' code, so a parameter added to a target reaches the task without a hand-kept list.
/// </summary>
public class ParameterUsageTests : IDisposable
{
    private readonly EngineHarness _h = new();

    public void Dispose() => _h.Dispose();

    /// <summary>Fetch -> Decode -> Submit; Submit forwards Decode as a cluster task would (build/Build.Cluster.cs).</summary>
    private class Cluster : TestBuildBase
    {
        [Parameter("Read by Fetch's key")] public string? Mirror { get; set; }
        [Parameter("Read by Fetch's tracked paths, through a property")] public string Folder = "work";
        [Parameter("Read by Decode's async action, through a helper")] public int Jobs = 2;
        [Parameter("Read only by Submit")] public int Shards = 4;
        [Parameter("Read by nothing")] public bool Unrelated { get; set; }
        public List<string> Forwarded { get; } = [];

        string Layout => Path.Combine(Root, Folder);

        protected virtual Task DecodeAsync(CancellationToken ct) => Task.Delay(Jobs, ct);

        protected Target Fetch => _ => _.Keyed(() => [Mirror]).Tracks(() => [Layout]).Executes(() => Ran.Add("Fetch"));

        protected Target Decode => _ => _.DependsOn(Fetch).Executes(async ct => { await DecodeAsync(ct); Ran.Add("Decode"); });

        protected Target Submit => _ => _.Executes(() => Forwarded.AddRange(
            ParametersUsedBy(nameof(Decode)).Where(p => p.Member != nameof(Shards)).SelectMany(p => p.Arguments).Append($"shards={Shards}")));
    }

    /// <summary>The same build after a release that gave Decode a new parameter, read deep inside its action.</summary>
    private sealed class ClusterWithQuality : Cluster
    {
        [Parameter("A new Decode parameter")] public int Quality = 5;

        protected override async Task DecodeAsync(CancellationToken ct)
        {
            await base.DecodeAsync(ct);
            if (Quality < 0) throw new InvalidDataException("quality");
        }
    }

    [Fact]
    public async Task Forwards_every_parameter_the_target_and_its_dependencies_read_and_nothing_else()
    {
        var build = new Cluster();
        Assert.Equal(0, await _h.RunAsync(build, "Submit", "--mirror", "http://m/", "--jobs", "3", "--unrelated"));
        Assert.Equal(["--folder work", "--jobs 3", "--mirror http://m/", "shards=4"], Pairs(build.Forwarded));
    }

    [Fact]
    public async Task A_parameter_added_to_a_forwarded_target_reaches_the_task()
    {
        var build = new ClusterWithQuality();
        Assert.Equal(0, await _h.RunAsync(build, "Submit", "--quality", "9"));
        Assert.Equal(["--folder work", "--jobs 2", "--quality 9", "shards=4"], Pairs(build.Forwarded));
    }

    /// <summary>"--name value" per forwarded parameter, sorted: their order on a command line does not matter.</summary>
    private static List<string> Pairs(List<string> words)
    {
        var pairs = new List<string>();
        for (var i = 0; i < words.Count; i++)
            pairs.Add(words[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < words.Count ? $"{words[i]} {words[++i]}" : words[i]);
        return pairs.Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task An_unset_parameter_is_not_forwarded_so_the_task_takes_its_own_default()
    {
        var build = new Cluster();
        Assert.Equal(0, await _h.RunAsync(build, "Submit"));
        Assert.DoesNotContain("--mirror", build.Forwarded);
    }
}
