using DuckDB.NET.Data;
using Konvid.Core.Corpora;
using Konvid.Core.Features;
using Konvid.Core.Jsonl;
using Konvid.Core.Tests.Support;

namespace Konvid.Core.Tests.Jsonl;

/// <summary>
/// A Jsonl run copies the rows whose inputs are unchanged from the corpus the last run wrote and renders the rest; the
/// corpus it leaves (JSONL and Parquet) is what a run from scratch writes, byte for byte, timestamp included.
/// </summary>
public class RowIndexTests
{
    private static readonly ScoreFile Scores = new("metadata/scores.csv", "auto", null);
    private static readonly CorpusScoreFile File1k = CorpusScoreFiles.Konvid1kAttributes;

    [Fact]
    public async Task Only_rows_whose_label_probe_or_feature_entry_changed_are_rendered_again()
    {
        var catalog = CorpusFixture.CatalogOf(Scores);
        using var grown = new CorpusFixture();
        grown.WriteFile(Scores.Path, File1k.Text, File1k.Bom);
        foreach (var clip in File1k.Clips.Take(2)) await grown.AddClipAsync(clip);
        Assert.Equal(0, (await grown.RunAsync(catalog)).RowsCopied);

        // The next day: one clip added, one label's MOS corrected, one feature entry computed again with other values.
        var later = new JsonlOptions(Deep: false, IngestedAt: CorpusFixture.Noon.AddDays(1));
        var changedText = File1k.Text.Replace(",4.64,", ",4.5,");
        await grown.AddClipAsync(File1k.Clips[2]);
        grown.WriteFile(Scores.Path, changedText, File1k.Bom);
        var report = await grown.RunAsync(catalog, later);
        Assert.Equal((3, 1), (report.RowsWritten, report.RowsCopied));

        var unchanged = await grown.RunAsync(catalog, later);
        Assert.Equal((3, 3), (unchanged.RowsWritten, unchanged.RowsCopied));

        var first = grown.Lines()[0];
        var sha = System.Text.Json.JsonDocument.Parse(first).RootElement.GetProperty("src_sha256").GetString()!;
        await FeatureCache.WriteAsync(grown.Layout, OtherFeatures(sha));
        var recomputed = await grown.RunAsync(catalog, later);
        Assert.Equal((3, 2), (recomputed.RowsWritten, recomputed.RowsCopied));

        using var fresh = new CorpusFixture();
        fresh.WriteFile(Scores.Path, changedText, File1k.Bom);
        foreach (var clip in File1k.Clips) await fresh.AddClipAsync(clip);
        await FeatureCache.WriteAsync(fresh.Layout, OtherFeatures(sha));
        Assert.Equal(0, (await fresh.RunAsync(catalog, later)).RowsCopied);

        Assert.Contains("\"mos\":4.5,", string.Join("\n", grown.Lines()));
        Assert.Contains("\"ti_max\":99.5", grown.Lines()[0]);
        Assert.Equal(File.ReadAllBytes(fresh.Layout.CorpusJsonl), File.ReadAllBytes(grown.Layout.CorpusJsonl));
        Assert.Equal(0, RowsOnlyInOne(CorpusParquet.PathFor(fresh.Layout), CorpusParquet.PathFor(grown.Layout)));
    }

    [Fact]
    public async Task A_corpus_touched_since_its_index_was_written_is_rendered_whole()
    {
        var catalog = CorpusFixture.CatalogOf(Scores);
        using var corpus = new CorpusFixture();
        corpus.WriteFile(Scores.Path, File1k.Text, File1k.Bom);
        foreach (var clip in File1k.Clips) await corpus.AddClipAsync(clip);
        await corpus.RunAsync(catalog);
        var before = File.ReadAllBytes(corpus.Layout.CorpusJsonl);

        // An edited corpus no longer has the byte ranges the index records.
        File.WriteAllText(corpus.Layout.CorpusJsonl, "{\"edited\":true}\n");
        var report = await corpus.RunAsync(catalog);
        Assert.Equal((3, 0), (report.RowsWritten, report.RowsCopied));
        Assert.Equal(before, File.ReadAllBytes(corpus.Layout.CorpusJsonl));

        File.WriteAllText(RowIndex.PathFor(corpus.Layout), "not an index\n");
        Assert.Equal(0, (await corpus.RunAsync(catalog)).RowsCopied);
        Assert.Equal(before, File.ReadAllBytes(corpus.Layout.CorpusJsonl));
        Assert.Equal(3, (await corpus.RunAsync(catalog)).RowsCopied);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("broken")]
    public async Task Copied_rows_without_the_previous_parquet_file_are_parsed_from_their_lines(string damage)
    {
        var catalog = CorpusFixture.CatalogOf(Scores);
        using var grown = new CorpusFixture();
        grown.WriteFile(Scores.Path, File1k.Text, File1k.Bom);
        foreach (var clip in File1k.Clips.Take(2)) await grown.AddClipAsync(clip);
        await grown.RunAsync(catalog);
        var parquet = CorpusParquet.PathFor(grown.Layout);
        if (damage == "deleted") File.Delete(parquet);
        else
        {
            // Same length and mtime, so only reading it finds the damage.
            var bytes = File.ReadAllBytes(parquet);
            var stamp = File.GetLastWriteTimeUtc(parquet);
            Array.Fill(bytes, (byte)0xFF, 4, bytes.Length / 2);
            File.WriteAllBytes(parquet, bytes);
            File.SetLastWriteTimeUtc(parquet, stamp);
        }

        await grown.AddClipAsync(File1k.Clips[2]);
        Assert.Equal(2, (await grown.RunAsync(catalog)).RowsCopied);

        using var fresh = new CorpusFixture();
        fresh.WriteFile(Scores.Path, File1k.Text, File1k.Bom);
        foreach (var clip in File1k.Clips) await fresh.AddClipAsync(clip);
        await fresh.RunAsync(catalog);
        Assert.Equal(File.ReadAllBytes(fresh.Layout.CorpusJsonl), File.ReadAllBytes(grown.Layout.CorpusJsonl));
        Assert.Equal(0, RowsOnlyInOne(CorpusParquet.PathFor(fresh.Layout), parquet));
    }

    private static ClipFeatures OtherFeatures(string sha) => new(sha, ClipFeatures.CurrentSet, false,
        new SortedDictionary<string, double>(StringComparer.Ordinal) { ["ti_max"] = 99.5, ["si_max"] = 1.25, ["blur_mean"] = 0.5 });

    /// <summary>Rows of either Parquet file that the other lacks, as DuckDB (not the writer's library) reads them.</summary>
    private static long RowsOnlyInOne(string a, string b)
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM ((SELECT * FROM read_parquet('{a}') EXCEPT ALL SELECT * FROM read_parquet('{b}')) " +
                              $"UNION ALL (SELECT * FROM read_parquet('{b}') EXCEPT ALL SELECT * FROM read_parquet('{a}')))";
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
