using Konvid.Core.Jsonl;
using Konvid.Core.Workspace;
using Parquet;
using Parquet.Schema;

namespace Konvid.Core.Train;

/// <summary>
/// Reads the corpus matrix from &lt;corpus&gt;.parquet (<see cref="CorpusParquet"/>): src, mos and feature_set, and the
/// float32 feature columns one row group at a time. Columnar floats need no parsing: at 150,000 rows x 1,068 features
/// this is seconds where the 5 GB JSONL takes minutes. The same skip rules as the JSONL apply (<see cref="CorpusMatrix.Builder"/>).
/// </summary>
internal static class CorpusParquetReader
{
    /// <summary>The matrix, or null when there is no Parquet file, it is not current for the JSONL, or it lacks a feature of <paramref name="featureOrder"/>.</summary>
    public static async Task<CorpusMatrix?> TryLoadAsync(CorpusLayout layout, IReadOnlyList<string>? featureOrder, IProgressReporter progress, CancellationToken ct)
    {
        var path = CorpusParquet.PathFor(layout);
        if (!File.Exists(path)) return null;
        var name = Path.GetFileName(path);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct);
            if (CorpusParquet.CurrentSha256(reader.CustomMetadata, layout.CorpusJsonl) is not { } sha)
            {
                progress.Info($"Train: {name} was written from another version of {Path.GetFileName(layout.CorpusJsonl)}; reading the JSONL (re-run Jsonl to refresh it)");
                return null;
            }
            var fields = reader.Schema.DataFields;
            var features = fields.Where(f => f.ClrType == typeof(float)).ToDictionary(f => f.Name, StringComparer.Ordinal);
            featureOrder ??= features.Keys.Order(StringComparer.Ordinal).ToArray();
            if (featureOrder.Count == 0 || featureOrder.FirstOrDefault(f => !features.ContainsKey(f)) is not null)
                return null;
            var src = Field(fields, "src");
            var mos = Field(fields, "mos");
            var featureSet = fields.FirstOrDefault(f => f.Name == "feature_set");
            if (src is null || mos is null) return null;

            var rows = reader.RowGroups.Sum(g => g.RowCount);
            var builder = new CorpusMatrix.Builder(featureOrder, rows);
            var featureSets = new SortedSet<string>(StringComparer.Ordinal);
            var columns = featureOrder.Count;
            var featureFields = featureOrder.Select(f => features[f]).ToArray();
            using var task = progress.Start("Read corpus", rows, "rows");
            long before = 0;
            foreach (var group in reader.RowGroups)
            {
                var n = checked((int)group.RowCount);
                var ids = new string?[n];
                var mosValues = new double?[n];
                await group.ReadAsync(src, ids.AsMemory(), cancellationToken: ct);
                await group.ReadAsync<double>(mos, mosValues.AsMemory(), cancellationToken: ct);
                if (featureSet is not null)
                {
                    var sets = new string?[n];
                    await group.ReadAsync(featureSet, sets.AsMemory(), cancellationToken: ct);
                    foreach (var set in sets) if (set is not null) featureSets.Add(set);
                }
                var block = new float[n * columns];
                var column = new float[n];
                for (var c = 0; c < columns; c++)
                {
                    await group.ReadAsync<float>(featureFields[c], column.AsMemory(), cancellationToken: ct);
                    for (var r = 0; r < n; r++) block[r * columns + c] = column[r];
                }
                for (var r = 0; r < n; r++)
                    builder.Add(ids[r], mosValues[r], $"row {before + r + 1} of {name}", block.AsSpan(r * columns, columns), []);
                before += n;
                task.Advance(n);
            }
            return builder.Build(sha, featureSets, path, progress);
        }
        // A damaged file throws whatever its decoder meets (Thrift errors, bad lengths, bad casts); the JSONL is the corpus.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            progress.Warn($"Train: {name} is unreadable ({e.Message}); reading the JSONL instead");
            return null;
        }
    }

    private static DataField? Field(IEnumerable<DataField> fields, string name) => fields.FirstOrDefault(f => f.Name == name);
}
