using System.Text.Json;
using Konvid.Core.Features;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// KonViD-150k at its clip count: one archive of 150,000 tiny distinct clips (<see cref="ManyClipsScaleOrigin"/>)
/// through ./build.sh target by target: Download, Verify, Probe, Features computed on one shard of at least 20,000
/// clips, the other clips' cache entries copied from a computed clip of the same content (the clips differ only in a
/// free box, which no feature sees), Features over the full cache, Jsonl over all; then the no-op Phase2 (goal: 3 s)
/// and Phase2 after adding one clip (goal: 10 s). The same runs at a quarter of the size show whether any stage's cost
/// per clip grows with the corpus (per-clip machinery that is worse than linear). --quick: 100 and 300 clips.
/// </summary>
internal static class ManyClipsScaleBench
{
    private sealed record StageCost(string Stage, int Clips, double Seconds, double InvocationWall, double InvocationCpu)
    {
        public double CpuPerThousand => InvocationCpu * 1000 / Clips;
    }

    private sealed record Scale(int Clips, int Featured, IReadOnlyList<StageCost> Stages, Sampled NoOp, IReadOnlyList<string> Stale,
        Sampled Added, BuildRun LastAdded, string? Disk);

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var (small, large) = context.Options.Quick ? (100, 300) : (37_500, 150_000);
        var dir = context.Folder("clip-scale");
        var bases = await ManyClipsScaleOrigin.BaseClipsAsync(context.Folder("clips-base"), context.Jobs, context.Progress, ct);
        var atSmall = await ScenarioAsync(context, dir, bases, small, ct);
        var atLarge = await ScenarioAsync(context, dir, bases, large, ct);
        var name = $"{large:#,0}-clip";

        foreach (var stage in atLarge.Stages)
        {
            var share = stage.Stage == "Features (computed)" ? $" (one shard: {stage.Clips:#,0} of {atLarge.Clips:#,0} clips)" : "";
            context.Log.Rows.Add(new BenchRow($"{stage.Stage} in the {name} scenario{share}", null,
                new Measured(stage.Stage, Timing.Of(stage.Seconds), stage.Clips, "clips"), null,
                $"{BenchFormat.Number(stage.Seconds * 1000 / stage.Clips)} ms wall per clip (the target's own time); the whole ./build.sh run "
                + $"{BenchFormat.Seconds(stage.InvocationWall)} wall, {BenchFormat.Seconds(stage.InvocationCpu)} CPU = {BenchFormat.Number(stage.CpuPerThousand)} CPU s per 1,000 clips"));
            var before = atSmall.Stages.Single(s => s.Stage == stage.Stage);
            context.Log.Rows.Add(new BenchRow($"{stage.Stage}: CPU per 1,000 clips at {before.Clips:#,0} and at {stage.Clips:#,0} clips",
                new Measured($"at {before.Clips:#,0} clips", Timing.Of(before.CpuPerThousand)),
                new Measured($"at {stage.Clips:#,0} clips", Timing.Of(stage.CpuPerThousand)), new RatioAtLeast(0.67)));
        }
        context.Log.Notes.Add($"The {name} scenario's \"CPU per 1,000 clips\" rows: CPU seconds of the whole ./build.sh run of that one target (start-up "
                              + "included) per 1,000 clips, at a quarter of the size and at the full size; a ratio near 1 (or above, start-up amortised) "
                              + "is linear growth, below 0.67 the cost per clip grew by half with the corpus. Features' cache entries beyond the computed "
                              + "shard are copies of a computed clip of the same content under each clip's SHA-256.");

        context.Log.Rows.Add(new BenchRow($"No-op ./build.sh Phase2 on {atLarge.Clips:#,0} clips", null,
            new Measured("wall time including build.sh", atLarge.NoOp.Wall), new NoOpBudget(3, atLarge.Stale),
            $"CPU {BenchFormat.Timing(atLarge.NoOp.Cpu)}; at {atSmall.Clips:#,0} clips {BenchFormat.Timing(atSmall.NoOp.Wall)} wall, {BenchFormat.Timing(atSmall.NoOp.Cpu)} CPU; "
            + (atLarge.Stale.Count == 0 ? "every target reported up to date" : $"not up to date: {string.Join(", ", atLarge.Stale)}")
            + (atLarge.Disk is { } disk ? $". {disk}" : "")));
        context.Log.Rows.Add(new BenchRow($"Phase2 after adding 1 clip to {atLarge.Clips:#,0}", null,
            new Measured("./build.sh Phase2", atLarge.Added.Wall), new WithinBudget(10),
            $"CPU {BenchFormat.Timing(atLarge.Added.Cpu)}; at {atSmall.Clips:#,0} clips {BenchFormat.Timing(atSmall.Added.Wall)} wall, {BenchFormat.Timing(atSmall.Added.Cpu)} CPU; "
            + "targets (last run): " + string.Join(", ", atLarge.LastAdded.Targets.Select(t => $"{t.Target} {t.Status} {BenchFormat.Seconds(t.Seconds)}"))));
    }

    private static async Task<Scale> ScenarioAsync(BenchContext context, string dir, IReadOnlyList<byte[]> bases, int clips, CancellationToken ct)
    {
        var origin = await ManyClipsScaleOrigin.EnsureAsync(dir, bases, clips, ct);
        var workDir = Path.Combine(dir, $"work-{clips}");
        var layout = new CorpusLayout(workDir, "konvid-150k");
        var all = clips + ManyClipsScaleOrigin.SetBClips;
        // Below KonViD-150k's 150,000 labels the label guard would refuse the run, as it should for a real corpus.
        string[] common = ["--corpus", "konvid-150k", "--mirror", new Uri(origin + "/").AbsoluteUri, "--deep-features", "false",
            .. all < 150_000 ? new[] { "--ignore-label-guard", "true" } : []];
        BenchContext.Clear(workDir);

        var stages = new List<StageCost>();
        foreach (var target in new[] { "Download", "Verify", "Probe" })
            stages.Add(await StageAsync(context, workDir, target, [target, .. common], target, all, ct));
        // One shard computes; the rest of the cache is copied, which is what 150,000 ffmpeg runs would have written.
        var shards = clips >= 140_000 ? 7 : Math.Max(1, clips / 25);
        var sharded = await StageAsync(context, workDir, "Features (computed)", ["Features", "--shard", $"0/{shards}", .. common, "--skip"], "Features", 1, ct);
        var featured = CountEntries(layout);
        stages.Add(sharded with { Clips = featured });
        await SeedFeaturesAsync(layout, bases, all, ct);
        stages.Add(await StageAsync(context, workDir, "Features (all cached)", ["Features", .. common], "Features", all, ct));
        stages.Add(await StageAsync(context, workDir, "Jsonl", ["Jsonl", .. common], "Jsonl", all, ct));

        var row = $"the {clips:#,0}-clip scenario";
        string[] phase2 = ["Phase2", .. common];
        var noOps = new List<BuildRun>();
        // The target-by-target runs before are the warm-up.
        var noOp = await Sampled.RunAsync(context.Runs, null, async c => noOps.Add(await PipelineBench.Check(context, row, workDir, phase2, c)), ct, warmUp: false);
        var stale = BuildScript.NotUpToDate(noOps, "Phase2");
        var disk = noOps[^1].Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("Disk:", StringComparison.Ordinal));

        var added = 0;
        var runs = new List<BuildRun>();
        var incremental = await Sampled.RunAsync(context.Runs, c => AddClipAsync(layout, bases, all + added++, c),
            async c => runs.Add(await PipelineBench.Check(context, row, workDir, phase2, c)), ct, warmUp: false);
        return new Scale(clips, featured, stages, noOp, stale, incremental, runs[^1], disk);
    }

    /// <summary>One ./build.sh run of which <paramref name="target"/> must have run; its own time from the summary, the run's wall and CPU.</summary>
    private static async Task<StageCost> StageAsync(BenchContext context, string workDir, string stage, string[] args, string target, int clips, CancellationToken ct)
    {
        var cpu = CpuClock.Now();
        var run = await PipelineBench.Check(context, $"{stage} in the clip-scale scenario", workDir, args, ct);
        var spent = (CpuClock.Now() - cpu).TotalSeconds;
        var line = run.Targets.FirstOrDefault(t => t.Target == target && t.Status == "done")
                   ?? throw new KonvidException($"Bench: ./build.sh {string.Join(' ', args)} did not run {target}", $"run it by hand with --work-dir {workDir}");
        return new StageCost(stage, clips, line.Seconds, run.Seconds, spent);
    }

    private static int CountEntries(CorpusLayout layout) =>
        Directory.Exists(layout.FeaturesDir) ? Directory.EnumerateFiles(layout.FeaturesDir, "*.json", SearchOption.AllDirectories).Count() : 0;

    /// <summary>
    /// Every clip without a cache entry gets a copy of a computed entry of the same base clip under its own SHA-256: the
    /// decoded frames are identical and the free box has the same size in every clip, so these are the features
    /// Features would compute.
    /// </summary>
    private static async Task SeedFeaturesAsync(CorpusLayout layout, IReadOnlyList<byte[]> bases, int clips, CancellationToken ct)
    {
        var templates = new ClipFeatures?[bases.Count];
        var pending = new List<(int Index, string Sha256)>();
        for (var i = 0; i < clips; i++)
        {
            var sha = ManyClipsScaleOrigin.Sha256(bases, i);
            var path = FeatureCache.PathFor(layout, sha, ClipFeatures.CurrentSet, false);
            if (!File.Exists(path)) pending.Add((i, sha));
            else if (templates[i % bases.Count] is null && JsonSerializer.Deserialize<ClipFeatures>(await File.ReadAllBytesAsync(path, ct)) is { Ok: true } hit)
                templates[i % bases.Count] = hit;
        }
        if (pending.Count > 0 && templates.Any(t => t is null))
            throw new KonvidException($"Bench: the computed shard holds no featurised clip of some base clip, so {pending.Count:#,0} entries cannot be copied",
                "use a corpus with more clips per shard");
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (p, c) =>
            await FeatureCache.WriteAsync(layout, templates[p.Index % bases.Count]! with { SrcSha256 = p.Sha256 }, c));
    }

    /// <summary>A new clip in set A's folder and its score appended to k150ka_scores.csv, as a curator would add one.</summary>
    private static async Task AddClipAsync(CorpusLayout layout, IReadOnlyList<byte[]> bases, int index, CancellationToken ct)
    {
        await AtomicFile.WriteAllBytesAsync(Path.Combine(layout.Clips, ManyClipsScaleOrigin.ClipPath(index)), ManyClipsOrigin.ClipBytes(bases, index), ct);
        var scores = Path.Combine(layout.Downloads, $"{ManyClipsScaleOrigin.SetA}_scores.csv");
        await AtomicFile.WriteAllTextAsync(scores, await File.ReadAllTextAsync(scores, ct) + ManyClipsScaleOrigin.ScoreRowA(index), ct);
    }
}
