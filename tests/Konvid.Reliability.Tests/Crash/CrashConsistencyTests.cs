using Konvid.Core.Features;
using Konvid.Core.Features.Deep;
using Konvid.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Konvid.Reliability.Tests.Crash;

/// <summary>
/// Each target, as a real ./build.sh process on the tiny sample, SIGKILLed at a moment chosen by its own output (or by
/// a file appearing), then run again to completion: the work dir must equal the uninterrupted run's, file for file.
/// </summary>
public class CrashConsistencyTests(ReferenceRun reference, ITestOutputHelper output) : IClassFixture<ReferenceRun>
{
    [Theory]
    [InlineData("Download", "early: generating the sample origin", "line:[Sample clips] starting")]
    [InlineData("Download", "middle: fetching the videos archive", "line:[KoNViD_1k_videos.zip] starting")]
    [InlineData("Download", "middle: extracting the videos archive", "line:[extract KoNViD_1k_videos.zip] starting")]
    [InlineData("Download", "late: after the stage's report", "line:Download: ")]
    [InlineData("Verify", "early: target start", "line:── Verify ──")]
    [InlineData("Verify", "middle: hashing", "line:[verify sha256] starting")]
    [InlineData("Verify", "late: manifest written", "file:manifest.sha256")]
    [InlineData("Probe", "early: target start", "line:── Probe ──")]
    [InlineData("Probe", "middle: probing", "line:[Probe] starting")]
    [InlineData("Probe", "late: probe.jsonl written", "file:probe.jsonl")]
    [InlineData("Features", "early: decoding starts", "line:[Features] starting")]
    [InlineData("Features", "middle: first cache entry written", "any:features")]
    [InlineData("Features", "late: all clips done", "line:[Features] finished")]
    [InlineData("Jsonl", "early: target start", "line:── Jsonl ──")]
    [InlineData("Jsonl", "middle: joining rows", "line:[Jsonl] starting")]
    [InlineData("Jsonl", "late: corpus written", "file:sample.jsonl")]
    public async Task A_target_killed_at_any_moment_then_rerun_leaves_exactly_what_an_uninterrupted_run_leaves(string target, string moment, string killAt)
    {
        using var dir = new Scratch();
        if (!moment.Contains("sample origin")) SamplePipeline.SeedOrigin(reference.WorkDir, dir.Path);
        if (SamplePipeline.Previous(target) is { } previous) await SamplePipeline.RunAsync(previous, dir.Path);
        var expected = reference.After(target);

        using (var doomed = SamplePipeline.Start(target, dir.Path))
        {
            var corpus = Path.Combine(dir.Path, "sample");
            var line = killAt.StartsWith("line:") ? doomed.LineAsync(l => l.Contains(killAt["line:".Length..])) : null;
            if (line is not null) await Task.WhenAny(line, doomed.WaitAsync());
            var reached = line is not null
                ? line.IsCompleted
                : killAt.StartsWith("file:")
                    ? await doomed.WhenAsync(() => File.Exists(Path.Combine(corpus, killAt["file:".Length..])))
                    : await doomed.WhenAsync(() => Directory.Exists(Path.Combine(corpus, killAt["any:".Length..]))
                        && Directory.EnumerateFiles(Path.Combine(corpus, killAt["any:".Length..]), "*.json", SearchOption.AllDirectories).Any());
            var runningAtKill = !doomed.HasExited;
            doomed.Crash();
            await doomed.WaitAsync();
            // The output is complete now: a line that was printed has been seen.
            Assert.True(reached || line is { IsCompleted: true }, $"{target} ended before '{killAt}':\n{doomed.Output}");
            output.WriteLine($"{(runningAtKill ? "killed" : "(already finished when the kill came)")} {target} at '{killAt}'; its last lines:\n"
                             + string.Join('\n', doomed.Output.TrimEnd().Split('\n').TakeLast(4)));
        }

        var crashed = WorkSnapshot.Take(dir.Path);
        var later = SamplePipeline.Order.Skip(Array.IndexOf(SamplePipeline.Order, target) + 1).Select(t => t + ".json");
        Assert.DoesNotContain(crashed.Fingerprints, later.Contains);
        // A fingerprint for the killed target is allowed only when the kill came after it had finished everything.
        if (crashed.Fingerprints.Contains(target + ".json"))
            Assert.True(crashed.Differences(expected).Count == 0, $"{target}.json was recorded for an unfinished run: {string.Join(", ", crashed.Differences(expected))}");
        output.WriteLine($"at the crash: {crashed.Differences(expected).Count} paths differ from the finished run; leftovers: {string.Join(", ", crashed.Leftovers)}");

        await SamplePipeline.RunAsync(target, dir.Path);

        var after = WorkSnapshot.Take(dir.Path);
        Assert.True(after.Differences(expected).Count == 0, $"after the re-run: {string.Join(", ", after.Differences(expected))}");
        Assert.Equal(expected.Fingerprints, after.Fingerprints);
        // A temp file a killed writer left behind may stay, but nothing downstream may take it for a finished file.
        // (AtomicFile's ".<name>.<pid>.<guid>.tmp", the engine's fingerprint "<Target>.json.<pid>.tmp").
        Assert.All(after.Leftovers, l => Assert.Matches(@"(/\.[^/]+\.\d+\.[0-9a-f]{32}\.tmp|/\.targets/\w+\.json\.\d+\.tmp)$", l));
        output.WriteLine($"after the re-run: leftovers {string.Join(", ", after.Leftovers)}");
        if (after.Leftovers.Count > 0 && SamplePipeline.Previous(target) is null)
        {
            await SamplePipeline.RunAsync("Verify", dir.Path);
            var verified = WorkSnapshot.Take(dir.Path);
            Assert.True(verified.Differences(reference.After("Verify")).Count == 0,
                $"Verify after a crashed Download: {string.Join(", ", verified.Differences(reference.After("Verify")))}");
        }
    }
    [Fact]
    public async Task Features_with_CNN_features_killed_after_its_first_cache_entry_then_rerun_equals_an_uninterrupted_run()
    {
        using var dir = new Scratch();
        var uninterrupted = dir["uninterrupted"];
        var crashed = dir["crashed"];
        foreach (var work in new[] { uninterrupted, crashed })
        {
            SamplePipeline.SeedOrigin(reference.WorkDir, work);
            await SamplePipeline.RunAsync("Probe", work);
        }
        await SamplePipeline.RunAsync("Features", uninterrupted, deep: true);
        var expected = WorkSnapshot.Take(uninterrupted);
        Assert.Contains(expected.Files.Keys, k => k.EndsWith($".{ClipFeatures.CurrentSet}.r{ClipFeatures.Revision}.{DeepFeaturizer.WeightsTag}.deep.json"));

        using (var doomed = SamplePipeline.Start("Features", crashed, deep: true))
        {
            var features = Path.Combine(crashed, "sample", "features");
            var reached = await doomed.WhenAsync(() => Directory.Exists(features)
                && Directory.EnumerateFiles(features, "*.deep.json", SearchOption.AllDirectories).Any());
            var runningAtKill = !doomed.HasExited;
            doomed.Crash();
            await doomed.WaitAsync();
            Assert.True(reached, doomed.Output);
            output.WriteLine(runningAtKill ? "killed after the first CNN cache entry" : "(already finished when the kill came)");
        }
        Assert.DoesNotContain("Features.json", WorkSnapshot.Take(crashed).Fingerprints);

        await SamplePipeline.RunAsync("Features", crashed, deep: true);

        var after = WorkSnapshot.Take(crashed);
        // Both work dirs hold their own absolute paths nowhere in these files, so they compare file for file.
        Assert.True(after.Differences(expected).Count == 0, $"after the re-run: {string.Join(", ", after.Differences(expected))}");
    }
}
