using System.Diagnostics;
using Konvid.Core.Probe;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>Features stage: nr-v1 for every successfully probed clip of the shard that has no cache entry yet.</summary>
public static class FeatureExtractor
{
    public static async Task<FeaturesReport> RunAsync(CorpusLayout layout, FeatureOptions options, IProgressReporter progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        AtomicFile.SweepLeftovers(nameof(Stage.Features), progress, TempPlace.Tree(layout.FeaturesDir));
        var deep = options.Deep is not null;
        var manifest = await Manifest.ReadAsync(layout.Manifest, ct);
        var probes = await ProbeStore.ReadAllAsync(layout, ct);
        var mine = manifest.Where(e => options.Shard.Contains(e.ClipId))
            .DistinctBy(e => e.Sha256)
            .Where(e => probes.GetValueOrDefault(e.Sha256) is { Ok: true })
            .ToList();
        if (manifest.Count > 0 && probes.Count == 0)
            throw new KonvidException($"Features: no probe results in {layout.Root}", "run `./build.sh Probe` first");

        var cached = new Dictionary<string, FeatureEntry>(StringComparer.Ordinal);
        foreach (var entry in mine)
            if (await FeatureCache.TryReadAsync(layout, entry.Sha256, ClipFeatures.CurrentSet, deep, FeatureRead.StateOnly, ct) is { } hit) cached[entry.Sha256] = hit;
        var todo = mine.Where(e => !cached.ContainsKey(e.Sha256)).ToList();

        // With at least as many clips in flight as cores, single-threaded decoders waste nothing on thread hand-offs.
        var jobs = Math.Max(1, options.Jobs);
        var threads = Math.Max(1, Environment.ProcessorCount / jobs);
        long frames = 0;
        if (todo.Count > 0)
        {
            using var task = progress.Start(nameof(Stage.Features), todo.Count, "clips");
            await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = ct },
                async (entry, token) =>
                {
                    var probe = probes[entry.Sha256];
                    ClipFeatures result;
                    try
                    {
                        var (features, decoded) = await ClipFeatureComputer.ComputeAsync(
                            Path.Combine(layout.Root, entry.RelativePath), probe, options.Deep, threads, token);
                        Interlocked.Add(ref frames, decoded);
                        result = new ClipFeatures(entry.Sha256, ClipFeatures.CurrentSet, deep, features);
                    }
                    catch (KonvidException e)
                    {
                        result = new ClipFeatures(entry.Sha256, ClipFeatures.CurrentSet, deep, null, e.Problem);
                        progress.Warn($"Features: {entry.ClipId}: {e.Problem}{(e.Hint is null ? "" : " -> " + e.Hint)}");
                    }
                    await FeatureCache.WriteAsync(layout, result, token);
                    lock (cached) cached[entry.Sha256] = new FeatureEntry(null, result.Ok ? null : result.Error ?? "no features");
                    task.Advance();
                });
        }

        var failed = manifest.Where(e => options.Shard.Contains(e.ClipId))
            .Where(e => cached.GetValueOrDefault(e.Sha256) is { Ok: false })
            .Select(e => new AttritionEntry(e.ClipId, Stage.Features, cached[e.Sha256].Error!))
            .ToList();
        await AttritionLedger.WriteStageAsync(layout, Stage.Features, failed, options.Shard.IsAll ? null : options.Shard.Tag, ct);
        return new FeaturesReport(mine.Count, todo.Count, mine.Count - todo.Count, failed.Count, frames, deep, clock.Elapsed);
    }
}
