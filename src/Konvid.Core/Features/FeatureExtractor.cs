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
        AtomicFile.SweepLeftovers(nameof(Stage.Features), progress, TempPlace.Tree(layout.FeaturesDir), TempPlace.FileAt(FeatureIndex.PathFor(layout, options.Shard)));
        var deep = options.Deep is not null;
        // Read at once: at KonViD-150k's size each is a few tenths of a second of one core.
        var manifestRead = Task.Run(() => Manifest.ReadAsync(layout.Manifest, ct), ct);
        var probesRead = Task.Run(() => ProbeStore.ReadAllAsync(layout, ct), ct);
        var entriesListed = Task.Run(() => FeatureCache.List(layout, ClipFeatures.CurrentSet, deep, options.CacheListed), ct);
        var trustedRead = Task.Run(() => FeatureIndex.LoadAsync(layout, options.Shard, deep, ct), ct);
        var manifest = await manifestRead;
        var probes = await probesRead;
        var mine = manifest.Where(e => options.Shard.Contains(e.ClipId))
            .DistinctBy(e => e.Sha256)
            .Where(e => probes.GetValueOrDefault(e.Sha256) is { Ok: true })
            .ToList();
        if (manifest.Count > 0 && probes.Count == 0)
            throw new KonvidException($"Features: no probe results in {layout.Root}", "run `./build.sh Probe` first");

        // An entry the last run found holding features, unchanged since, is not opened again; new or changed ones are read.
        var listed = await entriesListed;
        var trusted = await trustedRead;
        var known = new FeatureEntry?[mine.Count];
        Parallel.For(0, mine.Count, new ParallelOptions { CancellationToken = ct }, i =>
            known[i] = !listed.TryGetValue(mine[i].Sha256, out var stamp) ? null
                : trusted.TryGetValue(mine[i].Sha256, out var then) && then == stamp ? FeatureEntry.Holding
                : FeatureCache.TryRead(layout, mine[i].Sha256, ClipFeatures.CurrentSet, deep, FeatureRead.StateOnly));
        var cached = new Dictionary<string, FeatureEntry>(StringComparer.Ordinal);
        var entries = new List<string>();
        var holding = new Dictionary<string, EntryStamp>(StringComparer.Ordinal);
        for (var i = 0; i < mine.Count; i++)
        {
            if (known[i] is not { } hit) continue;
            cached[mine[i].Sha256] = hit;
            if (hit.Ok) holding[mine[i].Sha256] = listed[mine[i].Sha256];
        }
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
                    var written = new FileInfo(FeatureCache.PathFor(layout, entry.Sha256, ClipFeatures.CurrentSet, deep));
                    lock (cached)
                    {
                        entries.Add(written.FullName);
                        cached[entry.Sha256] = new FeatureEntry(null, result.Ok ? null : result.Error ?? "no features");
                        if (result.Ok) holding[entry.Sha256] = new EntryStamp(written.Length, written.LastWriteTimeUtc.Ticks);
                    }
                    task.Advance();
                });
        }

        var failed = manifest.Where(e => options.Shard.Contains(e.ClipId))
            .Where(e => cached.GetValueOrDefault(e.Sha256) is { Ok: false })
            .Select(e => new AttritionEntry(e.ClipId, Stage.Features, cached[e.Sha256].Error!))
            .ToList();
        await AttritionLedger.WriteStageAsync(layout, Stage.Features, failed, options.Shard.IsAll ? null : options.Shard.Tag, ct);
        await FeatureIndex.UpdateAsync(layout, options.Shard, deep, trusted, holding, ct);
        return new FeaturesReport(mine.Count, todo.Count, mine.Count - todo.Count, failed.Count, frames, deep, clock.Elapsed, entries, options.Shard);
    }
}
