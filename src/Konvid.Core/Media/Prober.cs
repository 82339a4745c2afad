using System.Diagnostics;
using Konvid.Core.Integrity;
using Konvid.Core.Workspace;

namespace Konvid.Core.Media;

/// <summary>Probe stage: geometry and codec of every verified clip of the shard that has no probe result yet.</summary>
public static class Prober
{
    public const string Stage = "Probe";

    public static async Task<ProbeReport> RunAsync(CorpusLayout layout, ProbeOptions options, IProgressReporter progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var manifest = await Manifest.ReadAsync(layout.Manifest, ct);
        if (manifest.Count == 0)
            throw new KonvidException($"Probe: {layout.Manifest} lists no clips", "run `./build.sh Verify` first (it writes the manifest)");

        var mine = manifest.Where(e => options.Shard.Contains(e.ClipId)).ToList();
        var known = await ProbeStore.ReadAllAsync(layout, ct);
        // One probe per content: duplicates (same sha256) share the result, as Jsonl keeps the first row only.
        var todo = mine.Where(e => !known.ContainsKey(e.Sha256)).DistinctBy(e => e.Sha256).ToList();

        var fresh = new Dictionary<string, ProbeResult>(StringComparer.Ordinal);
        if (todo.Count > 0)
        {
            using var task = progress.Start("Probe", todo.Count, "clips");
            await using var appender = await ProbeStore.OpenAppendAsync(layout, options.Shard, ct);
            await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Jobs), CancellationToken = ct },
                async (entry, token) =>
                {
                    var result = await ProbeOneAsync(layout, entry, token);
                    await appender.AppendAsync(result, token);
                    lock (fresh) fresh[entry.Sha256] = result;
                    if (!result.Ok) progress.Warn($"Probe: {entry.ClipId}: {result.Error}");
                    task.Advance();
                });
        }

        var failed = new List<AttritionEntry>();
        foreach (var entry in mine)
        {
            var result = fresh.GetValueOrDefault(entry.Sha256) ?? known.GetValueOrDefault(entry.Sha256);
            if (result is { Ok: false }) failed.Add(new AttritionEntry(entry.ClipId, Stage, $"ffprobe: {result.Error}"));
        }
        await AttritionLedger.WriteStageAsync(layout, Stage, failed, options.Shard.IsAll ? null : options.Shard.Tag, ct);
        return new ProbeReport(mine.Count, todo.Count, mine.Count - todo.Count, failed.Count, clock.Elapsed, ProbeStore.PathFor(layout, options.Shard));
    }

    private static async Task<ProbeResult> ProbeOneAsync(CorpusLayout layout, ManifestEntry entry, CancellationToken ct)
    {
        var path = Path.Combine(layout.Root, entry.RelativePath);
        if (!File.Exists(path))
            return new ProbeResult(entry.ClipId, entry.Sha256, 0, Error: $"file {entry.RelativePath} is missing");
        return await FfprobeReader.ProbeAsync(path, entry.ClipId, entry.Sha256, new FileInfo(path).Length, ct);
    }
}
