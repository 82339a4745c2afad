using System.Globalization;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// Whole Phase1 on the sample corpus through ./build.sh, from scratch, against the sum of its parts' limits measured
/// on the same files (copy and unzip the archives, sha256sum, ffprobe and ffmpeg decode, each --jobs at a time);
/// then the no-op re-run with everything up to date. --quick uses the tiny sample (12 clips).
/// </summary>
internal static class PipelineBench
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var corpus = context.Options.Corpus;
        var workDir = context.Folder("phase1");
        var layout = new CorpusLayout(workDir, corpus);
        // --quick runs the 12-clip tiny sample; the full bench the 240-clip demo one.
        string[] args = corpus == "sample"
            ? ["Phase1", "--corpus", corpus, "--sample-size", context.Options.Quick ? "tiny" : "demo"]
            : ["Phase1", "--corpus", corpus];
        var row = $"Whole Phase1 and the no-op re-run on the {corpus} corpus";

        // The warm-up: also makes the corpus origin, which the timed runs keep.
        BenchContext.Clear(layout.Root);
        var first = await BuildScript.RequireAsync(context, row, workDir, args, ct);
        if (first is null) return;

        var fromScratch = new List<BuildRun>();
        var full = await Sampled.RunAsync(context.Runs, _ => { BenchContext.Clear(layout.Root); return Task.CompletedTask; },
            async c => fromScratch.Add(await Check(context, row, workDir, args, c)), ct, warmUp: false);
        var clips = Directory.EnumerateFiles(layout.Clips, "*.mp4", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var archives = Directory.Exists(layout.SampleOrigin) ? Directory.GetFiles(layout.SampleOrigin, "*.zip") : [];
        var parts = await LimitPartsAsync(context, archives, clips, ct);
        var limit = new Timing(Enumerable.Range(0, context.Runs).Select(i => parts.Sum(p => p.Run.Wall.Samples[i])));
        var targets = fromScratch[^1].Targets;
        context.Log.Rows.Add(new BenchRow($"Whole Phase1 on the {corpus} corpus ({clips.Count} clips) from scratch, --jobs {context.Jobs}",
            new Measured("sum of the parts' limits", limit, clips.Count, "clips"),
            new Measured($"./build.sh Phase1 --corpus {corpus}", full.Wall, clips.Count, "clips"), null,
            "limit parts (medians): " + string.Join(", ", parts.Select(p => $"{p.What} {BenchFormat.Seconds(p.Run.Wall.Median)}"))
            + "; ours by target (last run): " + string.Join(", ", targets.Select(t => $"{t.Target} {BenchFormat.Seconds(t.Seconds)}"))
            + ". Features computes deep (CNN) features by default, which no decode limit includes"));

        var noOps = new List<BuildRun>();
        var noOp = await Sampled.RunAsync(context.Runs, null, async c => noOps.Add(await Check(context, row, workDir, args, c)), ct);
        var stale = BuildScript.NotUpToDate(noOps, "Phase1");
        context.Log.Rows.Add(new BenchRow($"No-op ./build.sh Phase1 --corpus {corpus} (everything up to date)", null,
            new Measured("wall time including build.sh", noOp.Wall), new NoOpBudget(5, stale),
            stale.Count == 0
                ? $"every target reported up to date: {string.Join(", ", noOps[0].Targets.Where(t => t.Target != "Phase1").Select(t => t.Target))} (Phase1 itself is an aggregate without a fingerprint, reported done in 0.0 s)"
                : $"not up to date: {string.Join(", ", stale)}"));
    }

    public static async Task<BuildRun> Check(BenchContext context, string row, string workDir, string[] args, CancellationToken ct)
    {
        var run = await BuildScript.RunAsync(context, workDir, args, ct);
        if (run.ExitCode != 0)
            throw new KonvidException($"Bench: {row}: ./build.sh {string.Join(' ', args)} failed: {BuildScript.Why(run)}", $"run it by hand with --work-dir {workDir}");
        return run;
    }

    private sealed record Part(string What, Sampled Run);

    private static async Task<IReadOnlyList<Part>> LimitPartsAsync(BenchContext context, IReadOnlyList<string> archives, IReadOnlyList<string> clips, CancellationToken ct)
    {
        var scratch = context.Folder("phase1-limits");
        var jobs = context.Jobs;
        var parts = new List<Part>();
        if (archives.Count > 0)
        {
            parts.Add(new Part("cp archives", await Sampled.RunAsync(context.Runs, _ => { Recreate(scratch); return Task.CompletedTask; },
                c => BenchTool.RunAsync("cp", [.. archives, scratch], c), ct)));
            parts.Add(new Part("unzip", await Sampled.RunAsync(context.Runs, _ => { Recreate(Path.Combine(scratch, "x")); return Task.CompletedTask; },
                async c => { foreach (var a in archives) await BenchTool.RunAsync("unzip", ["-q", "-o", a, "-d", Path.Combine(scratch, "x")], c); }, ct)));
        }
        var list = Path.Combine(scratch, "..", "phase1-clips.txt");
        await File.WriteAllLinesAsync(list, clips, ct);
        var perProcess = Math.Max(1, (clips.Count + jobs - 1) / jobs).ToString(CultureInfo.InvariantCulture);
        parts.Add(new Part($"sha256sum -P {jobs}", await Sampled.RunAsync(context.Runs, null,
            c => BenchTool.RunAsync("xargs", ["-a", list, "-P", jobs.ToString(CultureInfo.InvariantCulture), "-n", perProcess, "sha256sum"], c), ct)));
        parts.Add(new Part($"ffprobe -P {jobs}", await Sampled.RunAsync(context.Runs, null,
            c => Parallel.ForEachAsync(clips, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = c }, async (clip, cc) =>
                await BenchTool.RunAsync("ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", clip], cc)), ct)));
        parts.Add(new Part($"ffmpeg -f null -P {jobs}", await Sampled.RunAsync(context.Runs, null, c => DecodeLimit.RunAsync(clips, jobs, c), ct)));
        BenchContext.Clear(scratch);
        return parts;
    }

    private static void Recreate(string dir)
    {
        BenchContext.Clear(dir);
        Directory.CreateDirectory(dir);
    }
}
