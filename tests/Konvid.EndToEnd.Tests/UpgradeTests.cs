using System.Text.RegularExpressions;
using Konvid.Core.Features;
using Konvid.EndToEnd.Tests.Support;

namespace Konvid.EndToEnd.Tests;

/// <summary>
/// An upgrade that changes how features are made re-runs exactly the targets whose outputs change, and says why.
/// The upgrade is simulated on the recorded side: after a Phase1, every fingerprint record that names the current
/// feature set is rewritten to name an older one ("nr-v0"), which is what a work dir built by the previous release
/// holds. The engine decides from the recorded components, so this is the state a real version bump meets.
/// </summary>
public class UpgradeTests
{
    private const string OlderSet = "nr-v0";

    [Fact]
    public async Task A_feature_set_upgrade_reruns_features_and_jsonl_and_plan_names_the_code_version()
    {
        using var work = new TempWorkDir();
        string[] Args(params string[] extra) =>
            ["Phase1", "--corpus", "sample", "--sample-size", "tiny", "--deep-features", "false", "--work-dir", work.Path, .. extra];

        var first = await BuildProcess.RunAsync(Args(), timeout: TimeSpan.FromMinutes(15));
        Assert.True(first.ExitCode == 0, first.Output);
        var targets = Path.Combine(work.Path, "sample", ".targets");
        var rewritten = new List<string>();
        foreach (var record in Directory.EnumerateFiles(targets, "*.json"))
        {
            var text = File.ReadAllText(record);
            var older = text.Replace($"\"feature-set\": \"{ClipFeatures.CurrentSet}\"", $"\"feature-set\": \"{OlderSet}\"");
            if (older == text) continue;
            File.WriteAllText(record, older);
            rewritten.Add(Path.GetFileNameWithoutExtension(record));
        }
        Assert.Equal(["Features", "Jsonl"], rewritten.Order());

        var plan = await BuildProcess.RunAsync(Args("--plan"));
        Assert.True(plan.ExitCode == 0, plan.Output);
        var reason = $"code version feature-set changed ({OlderSet} -> {ClipFeatures.CurrentSet})";
        foreach (var target in new[] { "Download", "Verify", "Probe" })
            Assert.Matches($@"(?m)^\s+\d+\. {target}\s+up to date$", plan.Output);
        foreach (var target in new[] { "Features", "Jsonl" })
            Assert.Matches($@"(?m)^\s+\d+\. {target}\s+will run: {Regex.Escape(reason)}", plan.Output);

        var rows = Path.Combine(work.Path, "sample", "sample.jsonl");
        var rowsBefore = File.GetLastWriteTimeUtc(rows);
        var rerun = await BuildProcess.RunAsync(Args());
        Assert.True(rerun.ExitCode == 0, rerun.Output);
        foreach (var target in new[] { "Download", "Verify", "Probe" })
            Assert.Matches($@"(?m)^\s+{target}\s+up to date", rerun.Output);
        foreach (var target in new[] { "Features", "Jsonl" })
        {
            Assert.Matches($@"(?m)^\s+{target}\s+done", rerun.Output);
            Assert.Contains($"── {target} ── {reason}", rerun.Output);
        }
        Assert.NotEqual(rowsBefore, File.GetLastWriteTimeUtc(rows));
        Assert.Equal(12, File.ReadLines(rows).Count());
        foreach (var target in new[] { "Features", "Jsonl" })
            Assert.Contains($"\"feature-set\": \"{ClipFeatures.CurrentSet}\"", File.ReadAllText(Path.Combine(targets, target + ".json")));

        var noOp = await BuildProcess.RunAsync(Args());
        Assert.True(noOp.ExitCode == 0, noOp.Output);
        Assert.DoesNotMatch("(?m)^── (Download|Verify|Probe|Features|Jsonl) ──", noOp.Output);
    }
}
