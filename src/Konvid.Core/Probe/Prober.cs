using System.Diagnostics;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;

namespace Konvid.Core.Probe;

/// <summary>Probe stage: geometry and codec of every verified clip of the shard that has no probe result yet.</summary>
public static class Prober
{
    public static async Task<ProbeReport> RunAsync(CorpusLayout layout, ProbeOptions options, IProgressReporter progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var knownRead = Task.Run(() => ProbeStore.ReadAllAsync(layout, ct), ct);
        var manifest = await Manifest.ReadAsync(layout.Manifest, ct);
        if (manifest.Count == 0)
            throw new KonvidException($"Probe: {layout.Manifest} lists no clips", "run `./build.sh Verify` first (it writes the manifest)");

        var mine = manifest.Where(e => options.Shard.Contains(e.ClipId)).ToList();
        var known = await knownRead;
        // One probe per content: duplicates (same sha256) share the result, as Jsonl keeps the first row only.
        var todo = mine.Where(e => !known.ContainsKey(e.Sha256)).DistinctBy(e => e.Sha256).ToList();

        var fresh = new Dictionary<string, ProbeResult>(StringComparer.Ordinal);
        int fast = 0, ffprobe = 0;
        if (todo.Count > 0)
        {
            using var task = progress.Start(nameof(Stage.Probe), todo.Count, "clips");
            await using var appender = await ProbeStore.OpenAppendAsync(layout, options.Shard, ct);
            await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Jobs), CancellationToken = ct },
                async (entry, token) =>
                {
                    var result = await ProbeOneAsync(layout, entry, options.FastPath, token);
                    if (result.Path == ProbePath.Boxes) Interlocked.Increment(ref fast);
                    else if (result.Path == ProbePath.Ffprobe) Interlocked.Increment(ref ffprobe);
                    await appender.AppendAsync(result.Result, token);
                    lock (fresh) fresh[entry.Sha256] = result.Result;
                    if (!result.Result.Ok) progress.Warn($"Probe: {entry.ClipId}: {result.Result.Error}");
                    task.Advance();
                });
        }

        var failed = new List<AttritionEntry>();
        foreach (var entry in mine)
        {
            var result = fresh.GetValueOrDefault(entry.Sha256) ?? known.GetValueOrDefault(entry.Sha256);
            if (result is { Ok: false }) failed.Add(new AttritionEntry(entry.ClipId, Stage.Probe, $"ffprobe: {result.Error}"));
        }
        await AttritionLedger.WriteStageAsync(layout, Stage.Probe, failed, options.Shard.IsAll ? null : options.Shard.Tag, ct);
        var report = new ProbeReport(mine.Count, todo.Count, mine.Count - todo.Count, failed.Count, fast, ffprobe, clock.Elapsed, ProbeStore.PathFor(layout, options.Shard));
        // The ffprobe count is the cost: each is a process, hundreds of times slower than reading the boxes.
        progress.Info($"Probe: {report.Clips} clips ({report.Probed} probed: {report.FastPath} from MP4 boxes, {report.Ffprobe} needed ffprobe; "
                      + $"{report.UpToDate} up to date), {report.Failed} failed, {report.Elapsed.TotalSeconds:0.0} s");
        return report;
    }

    private enum ProbePath { Missing, Boxes, Ffprobe }

    private static async Task<(ProbeResult Result, ProbePath Path)> ProbeOneAsync(CorpusLayout layout, ManifestEntry entry, bool fastPath, CancellationToken ct)
    {
        var path = Path.Combine(layout.Root, entry.RelativePath);
        if (!File.Exists(path))
            return (new ProbeResult(entry.ClipId, entry.Sha256, 0, Error: $"file {entry.RelativePath} is missing"), ProbePath.Missing);
        if (fastPath && await Mp4BoxReader.TryReadAsync(path, entry.ClipId, entry.Sha256, ct) is { } fast)
            return (fast, ProbePath.Boxes);
        return (await FfprobeReader.ProbeAsync(path, entry.ClipId, entry.Sha256, new FileInfo(path).Length, ct), ProbePath.Ffprobe);
    }
}
