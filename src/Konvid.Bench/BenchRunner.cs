using System.Diagnostics;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// The Bench target: every benchmark against the limit measured on this machine in the same run, then
/// docs/benchmarks.md rewritten in one atomic write. A benchmark whose stage breaks fails the run (after the others ran
/// and the document, which names the failure, was written); a missed goal never does (it is marked in the table). Everything the benchmarks make lives under &lt;work-dir&gt;/bench/.
/// </summary>
public static class BenchRunner
{
    private sealed record Benchmark(string Name, Func<BenchContext, CancellationToken, Task> RunAsync);

    private static readonly Benchmark[] Benchmarks =
    [
        new("Download", DownloadBench.RunAsync),
        new("Verify", VerifyBench.RunAsync),
        new("CNN features", CnnBench.RunAsync),
        new("Probe", ProbeBench.RunAsync),
        new("Features", FeaturesBench.RunAsync),
        new("Jsonl", JsonlBench.RunAsync),
        new("Parquet", ParquetBench.RunAsync),
        new("Phase1 from scratch and no-op re-run", PipelineBench.RunAsync),
        new("Phase1 on a 1,200-clip corpus (60 in --quick): no-op and one added clip", ManyClipsBench.RunAsync),
        new("KonViD-150k's clip count: 150,000 clips (300 in --quick) from Download to Jsonl, no-op and one added clip, linearity against a quarter", ManyClipsScaleBench.RunAsync),
        new("Train", TrainBench.RunAsync),
        new("Learners on real features", LearnerBench.RunAsync),
        new("Batch Predict", PredictBench.RunAsync),
    ];


    public static async Task<BenchReport> RunAsync(BenchOptions options, IProgressReporter progress, CancellationToken ct)
    {
        if (options.Jobs < 1) throw new KonvidException($"Bench: --jobs {options.Jobs} is not a positive number", "pass --jobs 1 or more");
        if (!File.Exists(Path.Combine(options.RepoRoot, "build.sh")))
            throw new KonvidException($"Bench: no build.sh in {options.RepoRoot}", "run Bench from the repository (./build.sh Bench)");
        var clock = Stopwatch.StartNew();
        var machine = await MachineFacts.ReadAsync(ct);
        Directory.CreateDirectory(options.BenchDir);
        var log = new BenchLog();
        var context = new BenchContext(options, log, progress);
        progress.Info($"Bench: {(options.Quick ? "quick" : "full")} run, {options.Runs} timed run(s) per benchmark after a warm-up, --jobs {options.Jobs}, "
                      + $"load average {machine.LoadAtStart}; files under {options.BenchDir}");

        var failures = new List<string>();
        var chosen = Benchmarks.Where(b => options.Only is null || b.Name.Contains(options.Only, StringComparison.OrdinalIgnoreCase)).ToList();
        if (chosen.Count == 0)
            throw new KonvidException($"Bench: no benchmark's name contains '{options.Only}'", $"benchmarks: {string.Join("; ", Benchmarks.Select(b => b.Name))}");
        foreach (var benchmark in chosen)
        {
            var rows = log.Rows.Count;
            var started = Stopwatch.StartNew();
            progress.Info($"Bench: {benchmark.Name}...");
            try
            {
                await benchmark.RunAsync(context, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The other benchmarks still run and the document is still written; the run fails at the end.
                var line = e is KonvidException k ? k.Problem : $"{e.GetType().Name}: {e.Message}";
                failures.Add($"{benchmark.Name}: {line}");
                log.Omitted.Add(new Omission(benchmark.Name, $"FAILED: {line}"));
                progress.Warn($"Bench: {benchmark.Name} failed: {line}");
                if (e is not KonvidException) progress.Warn(e.ToString());
                continue;
            }
            foreach (var row in log.Rows.Skip(rows))
                progress.Info($"Bench: {row.Name}: {BenchFormat.Timing(row.Ours.Seconds)}"
                              + (row.Ratio is { } r ? $", {BenchFormat.Ratio(r)} of the limit" : "")
                              + (row.Met is { } met ? met ? " (goal met)" : $" (goal {row.Goal!.Text} MISSED)" : ""));
            progress.Info($"Bench: {benchmark.Name} took {BenchFormat.Seconds(started.Elapsed.TotalSeconds)}");
        }
        log.Estimates.AddRange(Extrapolate(log));
        log.Notes.Add("Peak RSS +N MB is what a run added to the bench process's resident memory: after an aggressive full GC (which returns the free heap to the OS) the high-water mark (VmHWM) "
                      + "is reset through /proc/self/clear_refs and the resident size taken as the baseline; the peak minus that baseline is reported. "
                      + "A stand-alone ./build.sh process adds the resident memory of the runtime and the engine to it.");
        log.Notes.Add("CPU seconds (per clip, per frame) are the process's and its waited-for children's (ffmpeg, ffprobe) CPU time from /proc, "
                      + "not wall time x cores, so other users' load does not inflate them; wall times do suffer from it.");
        if (options.Quick) log.Notes.Add("Quick mode: smaller inputs and one timed run; figures are a smoke test, not the reference.");

        var report = new BenchReport(machine with { LoadAtEnd = MachineFacts.LoadAverage() }, options.Quick, options.Runs, options.Jobs,
            log.Rows, log.Omitted, log.Estimates, log.Notes, options.OutputMarkdown, clock.Elapsed);
        await AtomicFile.WriteAllTextAsync(options.OutputMarkdown, BenchMarkdown.Render(report), ct);
        progress.Info($"Bench: {report.Measured} rows measured, {report.Missed} goals missed, {report.NotMeasured} rows not measured; "
                      + $"wrote {options.OutputMarkdown} in {BenchFormat.Seconds(report.Elapsed.TotalSeconds)}");
        if (failures.Count > 0)
            throw new KonvidException($"Bench: {failures.Count} benchmark(s) broke: {string.Join("; ", failures)}",
                $"{options.OutputMarkdown} lists them; run the named stage alone to see why");
        return report;
    }

    /// <summary>Core-seconds per KonViD-150k clip from the Features runs on 960x540 clips; without them, the decode floor plus the CNN.</summary>
    private static IEnumerable<ScaleEstimate> Extrapolate(BenchLog log)
    {
        var costs = log.CoreSecondsPer540pClip;
        var cnn = costs.GetValueOrDefault(CnnBench.CostKey);
        if (costs.TryGetValue(FeaturesCost, out var classic))
        {
            const string basis = "Features' CPU s per frame measured on 960x540 25 fps clips in this run, x 125 frames";
            yield return new ScaleEstimate("Features, deep off", classic, basis);
            if (costs.TryGetValue(FeaturesBench.DeepCost, out var deep))
                yield return new ScaleEstimate("Features, deep on (CNN on CPU)", deep, basis);
        }
        else if (costs.TryGetValue(DecodeCost, out var decode))
        {
            const string basis = "decode only (ffmpeg -threads 1 -f null on 960x540 clips): a floor, Features itself was not measured";
            yield return new ScaleEstimate("Features, deep off (floor)", decode, basis);
            if (cnn > 0) yield return new ScaleEstimate("Features, deep on (CNN on CPU, floor)", decode + cnn, basis + " + ResNet18 on the 5 sampled frames a clip");
        }
        if (cnn > 0)
            yield return new ScaleEstimate("CNN alone (5 sampled frames a clip, CPU)", cnn, "ResNet18 on CPU with YUV to RGB and resize, measured on 960x540 frames; decoding excluded");
    }

    internal const string DecodeCost = "decode";

    internal const string FeaturesCost = "features";
}
