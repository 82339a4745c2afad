using Konvid.Core.Jsonl;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// Jsonl at KonViD-150k scale and width: CorpusWriter over <see cref="WideCorpus"/>'s 150,000 clips (manifest, header-less
/// score file, probe results, nr-v1 + CNN feature cache entries) writing the JSONL and its Parquet twin; time and the
/// process's peak RSS. A full run writes 5 GB, so it runs once without a warm-up (said in the row). The inputs are kept
/// between bench runs, so the row index the last run left is deleted first: the row measures rendering every row, not
/// copying unchanged ones.
/// </summary>
internal static class JsonlBench
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var rows = WideCorpus.Rows(context);
        var (layout, catalog) = await WideCorpus.InputsAsync(context, ct);
        var ours = await Sampled.RunAsync(1, _ =>
        {
            File.Delete(RowIndex.PathFor(layout));
            return Task.CompletedTask;
        }, async c =>
        {
            var report = await CorpusWriter.RunAsync(layout, catalog, WideCorpus.Options, NullProgress.Instance, c);
            if (report.RowsCopied != 0)
                throw new KonvidException($"Bench: Jsonl copied {report.RowsCopied} rows", "the Jsonl benchmark measures rendering every row: its row index must be gone");
            if (report.RowsWritten != rows)
                throw new KonvidException($"Bench: Jsonl wrote {report.RowsWritten} of {rows} rows", "the Jsonl benchmark is broken: every synthetic clip must become a row");
            if (!File.Exists(CorpusParquet.PathFor(layout)))
                throw new KonvidException($"Bench: Jsonl wrote no {CorpusParquet.PathFor(layout)}", "the Parquet writer is broken: every Jsonl run writes the twin");
        }, ct, watchMemory: true, warmUp: false);
        context.Log.Rows.Add(new BenchRow($"Jsonl at {WideCorpus.Describe(rows)}: JSONL + Parquet", null,
            new Measured("Jsonl", ours.Wall, rows, "rows", ours.PeakRssMb), new WithinBudget(120, 1000),
            $"one run, no warm-up; CPU {BenchFormat.Seconds(ours.Cpu.Median)}" + (context.Options.Quick ? "; --quick: 2,000 rows, not 150,000" : "")));
    }
}
