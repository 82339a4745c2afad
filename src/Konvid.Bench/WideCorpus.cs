using Konvid.Core.Corpora;
using Konvid.Core.Jsonl;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// The corpus the Jsonl, Parquet and Train benchmarks share: <see cref="SyntheticFeatureCorpus"/> at the real width
/// (nr-v1 + 1,024 CNN features, names as Features writes them), 150,000 clips (2,000 with --quick). The inputs are
/// written once and kept; the JSONL and its Parquet twin are written by the Jsonl stage itself.
/// </summary>
internal static class WideCorpus
{
    public static int Rows(BenchContext context) => context.Options.Quick ? 2_000 : 150_000;

    public static int Features => SyntheticFeatureCorpus.FeatureNames(deep: true).Count;

    public static string Describe(int rows) => $"{rows:#,0} synthetic rows x {Features:#,0} features (nr-v1 + CNN)";

    /// <summary>The work dir with every clip's inputs for Jsonl (manifest, scores, probe results, deep feature cache).</summary>
    public static async Task<(CorpusLayout Layout, Catalog Catalog)> InputsAsync(BenchContext context, CancellationToken ct)
    {
        var rows = Rows(context);
        var layout = new CorpusLayout(context.Folder("wide"), $"synthetic-{rows}");
        var marker = Path.Combine(layout.Root, ".bench-complete");
        if (!File.Exists(marker))
        {
            BenchContext.Clear(layout.Root);
            context.Progress.Info($"Bench: writing {rows:#,0} synthetic clips' inputs at {Features:#,0} features (once)");
            await SyntheticFeatureCorpus.WriteAsync(layout, rows, deep: true, ct);
            await File.WriteAllTextAsync(marker, $"{rows}\n", ct);
        }
        return (layout, SyntheticFeatureCorpus.CatalogFor(rows));
    }

    /// <summary>The inputs plus the JSONL and its Parquet twin, written by Jsonl when either is missing.</summary>
    public static async Task<CorpusLayout> CorpusAsync(BenchContext context, CancellationToken ct)
    {
        var (layout, catalog) = await InputsAsync(context, ct);
        if (!File.Exists(layout.CorpusJsonl) || !File.Exists(CorpusParquet.PathFor(layout)))
            await CorpusWriter.RunAsync(layout, catalog, Options, NullProgress.Instance, ct);
        return layout;
    }

    public static JsonlOptions Options => new(Deep: true);
}
