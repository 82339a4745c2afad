using Konvid.Core.Jsonl;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// Jsonl at KonViD-150k scale: CorpusWriter over SyntheticCorpus's 150,000 clips (manifest, header-less score file,
/// probe results, nr-v1 feature cache entries), time and the process's peak RSS. The synthetic inputs are written once
/// and reused; the corpus JSONL is rewritten by every run.
/// </summary>
internal static class JsonlBench
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var rows = context.Options.Quick ? 5_000 : 150_000;
        var layout = new CorpusLayout(context.Folder("jsonl"), $"synthetic-{rows}");
        var marker = Path.Combine(layout.Root, ".bench-complete");
        if (!File.Exists(marker))
        {
            BenchContext.Clear(layout.Root);
            context.Progress.Info($"Bench: writing {rows:#,0} synthetic clips' inputs for Jsonl (once)");
            await SyntheticFeatureCorpus.WriteAsync(layout, rows, deep: false, ct);
            await File.WriteAllTextAsync(marker, $"{rows}\n", ct);
        }
        var catalog = SyntheticFeatureCorpus.CatalogFor(rows);
        var ours = await Sampled.RunAsync(context.Runs, null, async c =>
        {
            var report = await CorpusWriter.RunAsync(layout, catalog, new JsonlOptions(Deep: false), NullProgress.Instance, c);
            if (report.RowsWritten != rows)
                throw new KonvidException($"Bench: Jsonl wrote {report.RowsWritten} of {rows} rows", "the Jsonl benchmark is broken: every synthetic clip must become a row");
        }, ct, watchMemory: true);
        context.Log.Rows.Add(new BenchRow($"Jsonl at {rows:#,0} synthetic rows (nr-v1 features, deep off)", null,
            new Measured("Jsonl", ours.Wall, rows, "rows", ours.PeakRssMb), new WithinBudget(60, 500)));
    }
}
