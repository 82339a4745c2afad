using Konvid.Core.Workspace;

namespace Konvid.Core.Benchmarks;

/// <summary>
/// The engine at scale: a KoNViD-1k-shaped corpus of 1,200 tiny clips (<see cref="ManyClipsOrigin"/>) through
/// ./build.sh Phase1 (deep features off: the CNN's cost is measured elsewhere and would only slow the set-up). The
/// no-op re-run must not re-hash or re-probe; adding one clip must cost at most twice one clip's processing plus the
/// no-op time. One clip's processing is the from-scratch run's per-clip work: (Verify + Probe + Features + Jsonl)
/// x jobs / clips.
/// </summary>
internal static class ManyClipsBench
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var clips = context.Options.Quick ? 60 : 1200;
        var dir = context.Folder("many-clips");
        var origin = await ManyClipsOrigin.EnsureAsync(dir, context.Folder("clips-base"), clips, context.Jobs, context.Progress, ct);
        var workDir = Path.Combine(dir, "work");
        var layout = new CorpusLayout(workDir, "konvid-1k");
        string[] args = ["Phase1", "--corpus", "konvid-1k", "--mirror", new Uri(origin + "/").AbsoluteUri, "--deep-features", "false"];
        var row = $"No-op Phase1 on a synthetic {clips:#,0}-clip corpus, and the cost of adding 1 clip";

        BenchContext.Clear(workDir);
        var first = await BuildScript.RequireAsync(context, row, workDir, args, ct);
        if (first is null) return;
        context.Log.Notes.Add($"Set-up of the {clips:#,0}-clip rows: Phase1 from scratch took {BenchFormat.Seconds(first.Seconds)} ("
                              + string.Join(", ", first.Targets.Select(t => $"{t.Target} {BenchFormat.Seconds(t.Seconds)}")) + ")");

        var noOps = new List<BuildRun>();
        var noOp = await Sampled.RunAsync(context.Runs, null, async c => noOps.Add(await PipelineBench.Check(context, row, workDir, args, c)), ct);
        var stale = BuildScript.NotUpToDate(noOps, "Phase1");
        context.Log.Rows.Add(new BenchRow($"No-op ./build.sh Phase1 on {clips:#,0} clips", null,
            new Measured("wall time including build.sh", noOp.Wall), new NoOpBudget(5, stale),
            stale.Count == 0 ? "every target reported up to date" : $"not up to date: {string.Join(", ", stale)}"));

        var perClip = first.SecondsOf("Verify", "Probe", "Features", "Jsonl") * context.Jobs / clips;
        var budget = noOp.Wall.Median + 2 * perClip;
        var added = 0;
        var runs = new List<BuildRun>();
        var incremental = await Sampled.RunAsync(context.Runs, c => AddClipAsync(layout, context, clips + added++, c),
            async c => runs.Add(await PipelineBench.Check(context, row, workDir, args, c)), ct);
        context.Log.Rows.Add(new BenchRow($"Phase1 after adding 1 clip to {clips:#,0}", null,
            new Measured("./build.sh Phase1", incremental.Wall),
            new WithinBudget(budget, Why: $"no-op {BenchFormat.Seconds(noOp.Wall.Median)} + 2 x {BenchFormat.Seconds(perClip)} per clip"),
            "targets (last run): " + string.Join(", ", runs[^1].Targets.Select(t => $"{t.Target} {t.Status} {BenchFormat.Seconds(t.Seconds)}"))));
    }

    /// <summary>A new clip in the corpus's clips folder and its label appended to the attributes file, as a curator would add one.</summary>
    private static async Task AddClipAsync(CorpusLayout layout, BenchContext context, int index, CancellationToken ct)
    {
        var bases = await ManyClipsOrigin.BaseClipsAsync(context.Folder("clips-base"), context.Jobs, context.Progress, ct);
        var clip = Path.Combine(layout.Clips, ManyClipsOrigin.VideosFolder, $"{ManyClipsOrigin.FlickrId(index)}.mp4");
        await AtomicFile.WriteAllBytesAsync(clip, ManyClipsOrigin.ClipBytes(bases, index), ct);
        var attributes = Path.Combine(layout.Metadata, ManyClipsOrigin.MetadataFolder, ManyClipsOrigin.Attributes);
        await AtomicFile.WriteAllTextAsync(attributes, await File.ReadAllTextAsync(attributes, ct) + ManyClipsOrigin.AttributesRow(index), ct);
    }
}
