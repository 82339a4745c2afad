using Konvid.Core.Jsonl;
using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// The corpus's Parquet twin against its JSONL at <see cref="WideCorpus"/>'s size and width: file sizes, and the time
/// Train takes to read each into its matrix (the JSONL is the limit: what Train read before the twin existed).
/// </summary>
internal static class ParquetBench
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var rows = WideCorpus.Rows(context);
        var layout = await WideCorpus.CorpusAsync(context, ct);
        var parquet = CorpusParquet.PathFor(layout);
        var jsonl = await Sampled.RunAsync(1, null, async c => Check(await CorpusMatrix.LoadAsync(layout.CorpusJsonl, null, NullProgress.Instance, c), layout.CorpusJsonl, rows),
            ct, watchMemory: true, warmUp: false);
        var ours = await Sampled.RunAsync(context.Runs, null, async c => Check(await CorpusMatrix.LoadAsync(layout, null, NullProgress.Instance, c), parquet, rows),
            ct, watchMemory: true);
        var jsonlMb = new FileInfo(layout.CorpusJsonl).Length / 1e6;
        var parquetMb = new FileInfo(parquet).Length / 1e6;
        context.Log.Rows.Add(new BenchRow($"Train's corpus read at {WideCorpus.Describe(rows)}: Parquet twin vs JSONL", 
            new Measured("JSONL read", jsonl.Wall, rows, "rows", jsonl.PeakRssMb), new Measured("Parquet read", ours.Wall, rows, "rows", ours.PeakRssMb),
            new RatioAtLeast(5),
            $"files: Parquet {parquetMb:#,0} MB, JSONL {jsonlMb:#,0} MB ({parquetMb / jsonlMb:P0}); JSONL read once, no warm-up" +
            (context.Options.Quick ? "; --quick: 2,000 rows, not 150,000" : "")));
    }

    private static void Check(CorpusMatrix matrix, string expected, int rows)
    {
        if (matrix.Source != expected || matrix.Rows != rows)
            throw new KonvidException($"Bench: read {matrix.Rows} rows from {matrix.Source}, expected {rows} from {expected}",
                "the Parquet benchmark is broken: both files must give every row");
    }
}
