using System.Text.Json;

namespace Konvid.Targets.Tests;

/// <summary>
/// Code versions in fingerprints, and why a target runs: a bumped version re-runs exactly the targets that declare it
/// and their dependants; --plan and the line that starts a target name the reason.
/// </summary>
public class RunReasonTests : IDisposable
{
    private readonly EngineHarness _h = new();

    public RunReasonTests() => File.WriteAllText(Path.Combine(_h.Root, "clips.txt"), "clips");

    public void Dispose() => _h.Dispose();

    /// <summary>Fetch -> Features -> Rows -> Train, and Report beside Rows; versions as a release would set them.</summary>
    private sealed class Pipeline(string featureSet = "nr-v1", string rowSchema = "1", string recipe = "r1") : TestBuildBase
    {
        [Parameter("Affects Train")] public int Seeds = 5;

        Target Fetch => _ => _.Version("download-format", "1").Tracks(() => [Path.Combine(Root, "clips.txt")]).Executes(() => Ran.Add("Fetch"));

        Target Features => _ => _.DependsOn(Fetch).Version("feature-set", featureSet).Keyed(() => ["deep"]).Executes(() => Ran.Add("Features"));

        Target Rows => _ => _.DependsOn(Features).Version("feature-set", featureSet).Version("row-schema", rowSchema).Keyed(() => ["rows"])
            .Executes(() => Ran.Add("Rows"));

        Target Report => _ => _.DependsOn(Fetch).Keyed(() => ["report"]).Executes(() => Ran.Add("Report"));

        Target Train => _ => _.DependsOn(Rows).Version("recipe", recipe).Keyed(() => [Seeds]).Executes(() => Ran.Add("Train"));

        Target All => _ => _.DependsOn(Train, Report);
    }

    [Theory]
    [InlineData("feature-set", new[] { "Features", "Rows", "Train" })]
    [InlineData("row-schema", new[] { "Rows", "Train" })]
    [InlineData("recipe", new[] { "Train" })]
    public async Task A_bumped_code_version_reruns_exactly_the_targets_that_declare_it_and_their_dependants(string bumped, string[] rerun)
    {
        Assert.Equal(0, await _h.RunAsync(new Pipeline(), "All"));
        var upgraded = bumped switch
        {
            "feature-set" => new Pipeline(featureSet: "nr-v2"),
            "row-schema" => new Pipeline(rowSchema: "2"),
            _ => new Pipeline(recipe: "r2"),
        };
        Assert.Equal(0, await _h.RunAsync(upgraded, "All"));
        Assert.Equal(rerun, upgraded.Ran);

        var again = new Pipeline(bumped == "feature-set" ? "nr-v2" : "nr-v1", bumped == "row-schema" ? "2" : "1", bumped == "recipe" ? "r2" : "r1");
        Assert.Equal(0, await _h.RunAsync(again, "All"));
        Assert.Empty(again.Ran);
    }

    [Fact]
    public async Task Plan_and_the_start_line_name_the_code_version_that_changed()
    {
        await _h.RunAsync(new Pipeline(), "All");

        Assert.Equal(0, await _h.RunAsync(new Pipeline(featureSet: "nr-v2"), "All", "--plan"));
        var plan = Lines(_h.Output);
        Assert.Equal("Fetch up to date", plan["Fetch"]);
        Assert.Equal("Features will run: code version feature-set changed (nr-v1 -> nr-v2)", plan["Features"]);
        Assert.Equal("Rows will run: code version feature-set changed (nr-v1 -> nr-v2); dependency Features re-runs", plan["Rows"]);
        Assert.Equal("Train will run: dependency Rows re-runs", plan["Train"]);
        Assert.Equal("Report up to date", plan["Report"]);

        await _h.RunAsync(new Pipeline(featureSet: "nr-v2"), "All");
        Assert.Contains("── Features ── code version feature-set changed (nr-v1 -> nr-v2)", _h.Output);
        Assert.Contains("── Rows ── code version feature-set changed (nr-v1 -> nr-v2); dependency Features re-runs", _h.Output);
    }

    [Fact]
    public async Task Plan_names_a_never_run_target_a_forced_one_a_changed_parameter_and_a_changed_tracked_file()
    {
        await _h.RunAsync(new Pipeline(), "Fetch");
        await _h.RunAsync(new Pipeline(), "All", "--plan");
        Assert.Equal("Features will run: never ran", Lines(_h.Output)["Features"]);

        await _h.RunAsync(new Pipeline(), "All");
        await _h.RunAsync(new Pipeline(), "Train", "--plan", "--force", "--seeds", "7");
        Assert.Equal("Train will run: forced (--force); parameter --seeds changed (5 -> 7)", Lines(_h.Output)["Train"]);

        File.WriteAllText(Path.Combine(_h.Root, "clips.txt"), "more clips");
        await _h.RunAsync(new Pipeline(), "All", "--plan");
        var plan = Lines(_h.Output);
        Assert.Equal("Fetch will run: tracked file clips.txt changed", plan["Fetch"]);
        Assert.Equal("Report will run: dependency Fetch re-runs", plan["Report"]);
    }

    [Fact]
    public async Task A_target_run_separately_is_named_as_a_changed_dependency()
    {
        await _h.RunAsync(new Pipeline(), "All");
        await _h.RunAsync(new Pipeline(featureSet: "nr-v2"), "Features");
        await _h.RunAsync(new Pipeline(featureSet: "nr-v2"), "All", "--plan");
        Assert.Equal("Rows will run: code version feature-set changed (nr-v1 -> nr-v2); dependency Features changed", Lines(_h.Output)["Rows"]);
    }

    [Fact]
    public async Task The_record_keeps_every_component_as_readable_json()
    {
        await _h.RunAsync(new Pipeline(), "All");
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(_h.Root, ".targets", "Rows.json")));
        var root = record.RootElement;
        Assert.Equal("nr-v1", root.GetProperty("versions").GetProperty("feature-set").GetString());
        Assert.Equal("1", root.GetProperty("versions").GetProperty("row-schema").GetString());
        Assert.Equal(["rows"], root.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Matches("^[0-9a-f]{64}$", root.GetProperty("dependencies").GetProperty("Features").GetString()!);
        Assert.Matches("^[0-9a-f]{64}$", root.GetProperty("fingerprint").GetString()!);

        using var train = JsonDocument.Parse(File.ReadAllText(Path.Combine(_h.Root, ".targets", "Train.json")));
        Assert.Equal("5", train.RootElement.GetProperty("parameters").GetProperty("seeds").GetString());
        using var fetch = JsonDocument.Parse(File.ReadAllText(Path.Combine(_h.Root, ".targets", "Fetch.json")));
        Assert.StartsWith("5 bytes, ", fetch.RootElement.GetProperty("files").GetProperty(Path.Combine(_h.Root, "clips.txt")).GetString());
    }

    [Fact]
    public async Task The_recorded_components_decide_so_a_record_written_by_an_older_release_reruns_what_changed()
    {
        await _h.RunAsync(new Pipeline(), "All");
        foreach (var record in Directory.EnumerateFiles(Path.Combine(_h.Root, ".targets"), "*.json"))
            File.WriteAllText(record, File.ReadAllText(record).Replace("\"nr-v1\"", "\"nr-v0\""));

        var build = new Pipeline();
        await _h.RunAsync(build, "All");
        // Train recorded Rows' fingerprint as this release makes it, and Rows' re-run makes it again: Train holds.
        Assert.Equal(["Features", "Rows"], build.Ran);
        Assert.Contains("── Features ── code version feature-set changed (nr-v0 -> nr-v1)", _h.Output);
    }

    [Fact]
    public async Task A_record_from_an_older_engine_reruns_the_target_once_and_says_so()
    {
        await _h.RunAsync(new Pipeline(), "Fetch");
        File.WriteAllText(Path.Combine(_h.Root, ".targets", "Fetch.json"), """{"target":"Fetch","fingerprint":"abc","completed_utc":"2026-01-01T00:00:00Z"}""");
        await _h.RunAsync(new Pipeline(), "Fetch", "--plan");
        Assert.Equal("Fetch will run: recorded by an older Konvid (fingerprint without components)", Lines(_h.Output)["Fetch"]);
    }

    /// <summary>The plan's lines by target: "Name status".</summary>
    private static Dictionary<string, string> Lines(string output) =>
        output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 2 && char.IsDigit(l[0]))
            .Select(l => l[(l.IndexOf(' ') + 1)..])
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"^(\S+)\s+", "$1 "))
            .ToDictionary(l => l[..l.IndexOf(' ')]);
}
