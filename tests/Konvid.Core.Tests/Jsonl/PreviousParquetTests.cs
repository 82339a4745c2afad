using System.Text;
using Konvid.Core.Jsonl;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Jsonl;

/// <summary>A copied row's Parquet cells, read from the previous Parquet file, are the cells its JSONL line parses to.</summary>
public class PreviousParquetTests
{
    /// <summary>Two row groups (the writer's groups hold at most 32,768 rows).</summary>
    private const int Rows = (1 << 15) + 100;

    [Fact]
    public async Task Rows_are_read_forward_group_by_group_and_a_row_in_a_group_passed_is_left_to_the_parse()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "synthetic");
        Directory.CreateDirectory(layout.Root);
        var lines = Enumerable.Range(0, Rows).Select(Line).ToArray();
        await File.WriteAllTextAsync(layout.CorpusJsonl, string.Concat(lines));
        await using (var writer = CorpusParquetWriter.Start(layout, NullProgress.Instance))
        {
            foreach (var line in lines)
            {
                var bytes = Encoding.UTF8.GetBytes(line);
                await writer.AddAsync(CorpusParquetWriter.Cells(bytes, null), default);
                writer.Mirror(bytes);
            }
            await writer.CompleteAsync(layout.CorpusJsonl, default);
        }

        await using var previous = await PreviousParquet.OpenAsync(layout, default);
        Assert.NotNull(previous);
        const string stamp = "2026-11-30T12:00:00Z";
        foreach (var row in new[] { 7, 3, 32_800, 32_767 + 100 })
            AssertSame(Expected(lines[row], stamp), await previous.CellsAsync(row, stamp, default));
        // Group 0 is behind: its rows are not read again.
        Assert.Null(await previous.CellsAsync(5, stamp, default));
        Assert.Null(await previous.CellsAsync(Rows, stamp, default));
    }

    [Fact]
    public async Task A_parquet_file_of_another_jsonl_is_not_opened()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "synthetic");
        Directory.CreateDirectory(layout.Root);
        await File.WriteAllTextAsync(layout.CorpusJsonl, Line(0));
        await using (var writer = CorpusParquetWriter.Start(layout, NullProgress.Instance))
        {
            await writer.AddAsync(CorpusParquetWriter.Cells(Encoding.UTF8.GetBytes(Line(0)), null), default);
            await writer.CompleteAsync(layout.CorpusJsonl, default);
        }
        await File.WriteAllTextAsync(layout.CorpusJsonl, Line(0) + Line(1));

        Assert.Null(await PreviousParquet.OpenAsync(layout, default));
    }

    private static string Line(int i) =>
        $"{{\"src\":\"clip_{i}\",\"n\":{i},\"x\":{i}.5,\"ok\":{(i % 2 == 0 ? "true" : "false")},\"none\":null,\"ingested_at_utc\":\"2026-01-01T00:00:00Z\","
        + $"\"features\":{{\"a\":{i}.25,\"b\":{i % 7}}}}}\n";

    private static CorpusParquetWriter.ParquetCells Expected(string line, string stamp) =>
        CorpusParquetWriter.Cells(Encoding.UTF8.GetBytes(line.Replace("2026-01-01T00:00:00Z", stamp)), null);

    private static void AssertSame(CorpusParquetWriter.ParquetCells expected, CorpusParquetWriter.ParquetCells? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Keys, actual.Value.Keys);
        Assert.Equal(expected.Features.Select(f => (f.Key, (float)f.Value)), actual.Value.Features.Select(f => (f.Key, (float)f.Value)));
    }
}
