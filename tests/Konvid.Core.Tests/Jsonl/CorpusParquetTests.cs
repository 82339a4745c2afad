using System.Text.Json;
using DuckDB.NET.Data;
using Konvid.Bench;
using Konvid.Core.Jsonl;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Jsonl;

public class CorpusParquetTests
{
    /// <summary>
    /// DuckDB (its own Parquet reader, not Parquet.Net) reads the file back: every JSONL row is a Parquet row in the same
    /// order, every key a column of its JSON type with the same value, every feature a float column equal to the
    /// JSONL's value as float32. At the real width: nr-v1 + 1,024 CNN features.
    /// </summary>
    [Fact]
    public async Task Parquet_file_carries_the_jsonl_rows_in_order_with_every_key_and_feature()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "synthetic");
        const int clips = 40;
        var catalog = await SyntheticFeatureCorpus.WriteAsync(layout, clips, deep: true);

        var report = await CorpusWriter.RunAsync(layout, catalog, new JsonlOptions(Deep: true), NullProgress.Instance, default);

        Assert.Equal(clips, report.RowsWritten);
        var lines = File.ReadAllLines(layout.CorpusJsonl);
        var parquet = CorpusParquet.PathFor(layout);
        Assert.Equal(Path.ChangeExtension(layout.CorpusJsonl, ".parquet"), parquet);
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{parquet}')";
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => i, StringComparer.Ordinal);
        var row = 0;
        while (reader.Read())
        {
            using var json = JsonDocument.Parse(lines[row]);
            var used = 0;
            foreach (var key in json.RootElement.EnumerateObject())
            {
                if (key.Name == "features")
                {
                    foreach (var feature in key.Value.EnumerateObject())
                    {
                        Assert.Equal(typeof(float), reader.GetFieldType(columns[feature.Name]));
                        Assert.Equal((float)feature.Value.GetDouble(), reader.GetFloat(columns[feature.Name]));
                        used++;
                    }
                    continue;
                }
                var column = columns[key.Name];
                used++;
                switch (key.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        Assert.Equal(key.Value.GetString(), reader.GetString(column));
                        break;
                    case JsonValueKind.Number when key.Value.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0:
                        Assert.Equal(typeof(long), reader.GetFieldType(column));
                        Assert.Equal(key.Value.GetInt64(), reader.GetInt64(column));
                        break;
                    case JsonValueKind.Number:
                        Assert.Equal(typeof(double), reader.GetFieldType(column));
                        Assert.Equal(key.Value.GetDouble(), reader.GetDouble(column));
                        break;
                    default:
                        Assert.Fail($"{key.Name}: a {key.Value.ValueKind} key in a corpus row");
                        break;
                }
            }
            Assert.Equal(reader.FieldCount, used);
            Assert.Equal(SyntheticFeatureCorpus.FeatureNames(deep: true).Count + CorpusRow.ReferenceKeys.Length + CorpusRow.KonvidKeys.Length - 1, used);
            row++;
        }
        Assert.Equal(lines.Length, row);
    }

    [Fact]
    public async Task Footer_names_the_jsonl_it_mirrors_and_goes_stale_when_the_jsonl_changes()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "synthetic");
        var catalog = await SyntheticFeatureCorpus.WriteAsync(layout, 12, deep: false);
        await CorpusWriter.RunAsync(layout, catalog, new JsonlOptions(Deep: false), NullProgress.Instance, default);
        await using (var reader = await Parquet.ParquetReader.CreateAsync(CorpusParquet.PathFor(layout)))
        {
            Assert.Equal(await FileHasher.Sha256Async(layout.CorpusJsonl), CorpusParquet.CurrentSha256(reader.CustomMetadata, layout.CorpusJsonl));
            File.SetLastWriteTimeUtc(layout.CorpusJsonl, File.GetLastWriteTimeUtc(layout.CorpusJsonl).AddSeconds(1));
            Assert.Null(CorpusParquet.CurrentSha256(reader.CustomMetadata, layout.CorpusJsonl));
        }
        Assert.Empty(Directory.EnumerateFiles(layout.Root, "*" + AtomicFile.TempSuffix));
    }
}
