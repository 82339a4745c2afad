using Konvid.Bench;
using Konvid.Core.Jsonl;
using Konvid.Core.Train;
using Konvid.Core.Workspace;
using Konvid.Core.Tests.Support;
using Konvid.Testing;

namespace Konvid.Core.Tests.Train;

public class CorpusParquetReaderTests
{
    [Fact]
    public async Task Train_reads_the_current_parquet_twin_into_the_same_matrix_as_the_jsonl()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "synthetic");
        var catalog = await SyntheticFeatureCorpus.WriteAsync(layout, 30, deep: true);
        await CorpusWriter.RunAsync(layout, catalog, new JsonlOptions(Deep: true), NullProgress.Instance, default);

        var fromParquet = await CorpusMatrix.LoadAsync(layout, null, NullProgress.Instance, default);
        var fromJsonl = await CorpusMatrix.LoadAsync(layout.CorpusJsonl, null, NullProgress.Instance, default);

        Assert.Equal(CorpusParquet.PathFor(layout), fromParquet.Source);
        Assert.Equal(fromJsonl.FeatureOrder, fromParquet.FeatureOrder);
        Assert.Equal(SyntheticFeatureCorpus.FeatureNames(deep: true).Count, fromParquet.Columns);
        Assert.Equal(fromJsonl.Ids, fromParquet.Ids);
        Assert.Equal(fromJsonl.Mos, fromParquet.Mos);
        Assert.Equal(fromJsonl.Values, fromParquet.Values);
        Assert.Equal(fromJsonl.JsonlSha256, fromParquet.JsonlSha256);
        Assert.Equal(fromJsonl.FeatureSet, fromParquet.FeatureSet);
    }

    [Fact]
    public async Task A_jsonl_rewritten_after_its_parquet_is_read_itself()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "synthetic");
        var catalog = await SyntheticFeatureCorpus.WriteAsync(layout, 20, deep: false);
        await CorpusWriter.RunAsync(layout, catalog, new JsonlOptions(Deep: false), NullProgress.Instance, default);
        var parquet = CorpusParquet.PathFor(layout);
        var stale = parquet + ".kept";
        File.Copy(parquet, stale);
        // A different corpus: the last row dropped; the old Parquet file put back beside it.
        var lines = File.ReadAllLines(layout.CorpusJsonl);
        await AtomicFile.WriteAllTextAsync(layout.CorpusJsonl, string.Join("\n", lines[..^1]) + "\n");
        File.Move(stale, parquet, overwrite: true);

        var matrix = await CorpusMatrix.LoadAsync(layout, null, NullProgress.Instance, default);

        Assert.Equal(layout.CorpusJsonl, matrix.Source);
        Assert.Equal(19, matrix.Rows);
    }

    [Fact]
    public async Task A_feature_order_the_parquet_lacks_is_read_from_the_jsonl()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "synthetic");
        var catalog = await SyntheticFeatureCorpus.WriteAsync(layout, 10, deep: false);
        await CorpusWriter.RunAsync(layout, catalog, new JsonlOptions(Deep: false), NullProgress.Instance, default);

        var matrix = await CorpusMatrix.LoadAsync(layout, ["si_mean", "no_such_feature"], NullProgress.Instance, default);

        Assert.Equal(layout.CorpusJsonl, matrix.Source);
        Assert.Equal(0, matrix.Rows);
        Assert.All(matrix.Skipped, s => Assert.Contains("'no_such_feature' is missing", s.Reason));
    }

    [Fact]
    public async Task A_damaged_parquet_twin_is_reported_and_the_jsonl_read()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "synthetic");
        var catalog = await SyntheticFeatureCorpus.WriteAsync(layout, 10, deep: false);
        await CorpusWriter.RunAsync(layout, catalog, new JsonlOptions(Deep: false), NullProgress.Instance, default);
        var parquet = CorpusParquet.PathFor(layout);
        var bytes = File.ReadAllBytes(parquet);
        Array.Fill(bytes, (byte)0xFF, 4, bytes.Length / 2);
        File.WriteAllBytes(parquet, bytes);
        var progress = new AcquisitionProgressRecorder();

        var matrix = await CorpusMatrix.LoadAsync(layout, null, progress, default);

        Assert.Equal(layout.CorpusJsonl, matrix.Source);
        Assert.Equal(10, matrix.Rows);
        Assert.Contains(progress.Warnings, w => w.Contains("unreadable") && w.Contains(Path.GetFileName(parquet)));
    }
}
