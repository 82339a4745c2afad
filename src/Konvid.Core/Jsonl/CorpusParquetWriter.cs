using System.Security.Cryptography;
using System.Text.Json;
using Konvid.Core.Features;
using Konvid.Core.Workspace;
using Parquet;
using Parquet.Schema;

namespace Konvid.Core.Jsonl;

/// <summary>
/// Writes &lt;corpus&gt;.parquet (<see cref="CorpusParquet"/>) beside the JSONL from the same rows as they are written:
/// the row's keys come from its JSONL line (so a key added to the row reaches the Parquet file without a change
/// here), the features from the values the line was rendered from. Row groups are buffered column by column
/// (about 64 MB of features each), the file goes to a temp file in the corpus folder and is renamed into place by
/// <see cref="CompleteAsync"/> once the JSONL it mirrors is in place. Rows whose keys or feature names differ from
/// the first row's cannot share one schema: the Parquet file is then dropped with a warning and readers use the JSONL.
/// </summary>
internal sealed class CorpusParquetWriter : IAsyncDisposable
{
    private const int RowGroupValues = 16 << 20;

    /// <summary>
    /// At most this many rows per group, however narrow: a group is encoded while the next rows are made, instead of the
    /// whole corpus at the end (150,000 rows of 46 features: 0.45 s after the last row in one group).
    /// </summary>
    private const int RowGroupRows = 1 << 15;

    private readonly string _path;
    private readonly string _temp;
    private readonly IProgressReporter _progress;
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private FileStream? _stream;
    private ParquetWriter? _writer;
    private KeyColumn[] _keys = [];
    private string[] _featureNames = [];
    private DataField[] _featureFields = [];
    private float[][] _features = [];
    private int _groupRows, _buffered;
    private string? _abandoned;
    private bool _completed;

    private CorpusParquetWriter(string path, IProgressReporter progress)
    {
        _path = path;
        _temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}{AtomicFile.TempSuffix}");
        _progress = progress;
    }

    /// <summary>Starts the file for <paramref name="layout"/>'s corpus; an older one is deleted now, so it never outlives the JSONL it mirrored.</summary>
    public static CorpusParquetWriter Start(CorpusLayout layout, IProgressReporter progress)
    {
        var path = CorpusParquet.PathFor(layout);
        File.Delete(path);
        return new CorpusParquetWriter(path, progress);
    }

    /// <summary>
    /// A row's cells from its JSONL line: the keys, and the features as given (the values the line was rendered from)
    /// or, when null, as the line carries them. Pure, so callers take it off the sequential write path.
    /// </summary>
    public static ParquetCells Cells(ReadOnlySpan<byte> line, IReadOnlyList<KeyValuePair<string, double>>? features)
    {
        var (keys, parsed) = ReadRow(line, features is null);
        return new ParquetCells(keys, features ?? parsed!);
    }

    /// <summary>Takes in JSONL bytes as they are written (rows, newlines included), for the footer's SHA-256 of the file mirrored.</summary>
    public void Mirror(ReadOnlySpan<byte> written) => _sha.AppendData(written);

    /// <summary>Adds a row, as its <see cref="Cells"/>; its JSONL bytes go to <see cref="Mirror"/>.</summary>
    public async ValueTask AddAsync(ParquetCells cells, CancellationToken ct)
    {
        if (_abandoned is not null) return;
        var (keys, features) = (cells.Keys, cells.Features);
        if (_writer is null) await OpenAsync(keys, features, ct);
        if (Mismatch(keys, features) is { } why)
        {
            Abandon(why);
            return;
        }
        for (var k = 0; k < _keys.Length; k++) _keys[k].Set(_buffered, keys[k]);
        for (var f = 0; f < features.Count; f++) _features[f][_buffered] = (float)features[f].Value;
        if (++_buffered == _groupRows) await FlushAsync(ct);
    }

    /// <summary>
    /// Finishes the file once <paramref name="jsonl"/> (the file every added line went to) is in place: the footer records
    /// its SHA-256, size and mtime. Without rows (or after a mismatch) no file is left.
    /// </summary>
    public async Task CompleteAsync(string jsonl, CancellationToken ct)
    {
        if (_writer is null || _abandoned is not null) return;
        await FlushAsync(ct);
        _writer.CustomMetadata = CorpusParquet.Describe(jsonl, Convert.ToHexStringLower(_sha.GetHashAndReset()));
        await _writer.DisposeAsync();
        _writer = null;
        await _stream!.FlushAsync(ct);
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync();
        _stream = null;
        File.Move(_temp, _path, overwrite: true);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        _sha.Dispose();
        if (_writer is not null)
        {
            try { await _writer.DisposeAsync(); }
            catch (Exception e) when (e is IOException or InvalidOperationException) { }
        }
        // Closing flushes what is buffered; on a full disk that fails, and the failure that matters was already thrown.
        if (_stream is not null)
        {
            try { await _stream.DisposeAsync(); }
            catch (IOException) { }
        }
        if (!_completed && File.Exists(_temp)) File.Delete(_temp);
    }

    private async Task OpenAsync(IReadOnlyList<KeyValue> keys, IReadOnlyList<KeyValuePair<string, double>> features, CancellationToken ct)
    {
        _keys = keys.Select(k => new KeyColumn(k.Name, k.Kind)).ToArray();
        _featureNames = features.Select(f => f.Key).ToArray();
        if (_featureNames.Intersect(_keys.Select(k => k.Name), StringComparer.Ordinal).FirstOrDefault() is { } clash)
        {
            Abandon($"feature '{clash}' has the name of a row key");
            return;
        }
        _groupRows = Math.Clamp(RowGroupValues / Math.Max(1, _featureNames.Length), 1, RowGroupRows);
        foreach (var key in _keys) key.Allocate(_groupRows);
        _features = _featureNames.Select(_ => new float[_groupRows]).ToArray();
        _featureFields = _featureNames.Select(n => (DataField)new DataField<float>(n)).ToArray();
        var fields = _keys.Select(k => k.Field).Concat(_featureFields);
        _stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), _stream, cancellationToken: ct);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_buffered == 0 || _writer is null) return;
        using (var group = _writer.CreateRowGroup())
        {
            foreach (var key in _keys) await key.WriteAsync(group, _buffered, ct);
            for (var f = 0; f < _features.Length; f++)
                await group.WriteAsync<float>(_featureFields[f], _features[f].AsMemory(0, _buffered), cancellationToken: ct);
            group.CompleteValidate();
        }
        _buffered = 0;
    }

    private string? Mismatch(IReadOnlyList<KeyValue> keys, IReadOnlyList<KeyValuePair<string, double>> features)
    {
        if (keys.Count != _keys.Length) return $"a row has {keys.Count} keys, the first row {_keys.Length}";
        for (var k = 0; k < keys.Count; k++)
            if (keys[k].Name != _keys[k].Name || !keys[k].IsNull && keys[k].Kind != _keys[k].Kind)
                return $"key '{keys[k].Name}' differs in name or type from the first row's";
        if (features.Count != _featureNames.Length) return $"a row has {features.Count} features, the first row {_featureNames.Length}";
        for (var f = 0; f < features.Count; f++)
            if (!string.Equals(features[f].Key, _featureNames[f], StringComparison.Ordinal))
                return $"feature '{features[f].Key}' is not the first row's '{_featureNames[f]}'";
        return null;
    }

    private void Abandon(string why)
    {
        _abandoned = why;
        _progress.Warn($"{Path.GetFileName(_path)} not written: {why}; readers use the JSONL");
    }

    internal enum Kind { String, Int64, Double, Bool }

    /// <summary>A key's value, typed, so 150,000 rows of numbers are not 150,000 boxes each; a JSON null is a string without text.</summary>
    internal readonly record struct KeyValue(string Name, Kind Kind, string? Text = null, long Integer = 0, double Real = 0, bool Flag = false)
    {
        public bool IsNull => Kind == Kind.String && Text is null;
    }

    /// <summary>One row's cells: its top-level keys but "features" with their JSON types, and its features in name order.</summary>
    internal readonly record struct ParquetCells(IReadOnlyList<KeyValue> Keys, IReadOnlyList<KeyValuePair<string, double>> Features);

    /// <summary>
    /// The last row's key names and string values, per thread: rows repeat both (corpus, version, pix_fmt, timestamp), so
    /// comparing bytes against them spares most strings; a mismatch only costs the allocation.
    /// </summary>
    [ThreadStatic] private static string?[]? _lastNames, _lastTexts;

    /// <summary>The row's top-level keys except "features", in line order, with their JSON types; its features too when asked.</summary>
    private static (List<KeyValue> Keys, List<KeyValuePair<string, double>>? Features) ReadRow(ReadOnlySpan<byte> line, bool withFeatures)
    {
        var lastNames = _lastNames ??= new string?[64];
        var lastTexts = _lastTexts ??= new string?[64];
        var keys = new List<KeyValue>(24);
        List<KeyValuePair<string, double>>? features = null;
        var reader = new Utf8JsonReader(line);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var k = keys.Count;
            var slot = k < lastNames.Length;
            var name = slot && lastNames[k] is { } known && reader.ValueTextEquals(known) ? known : reader.GetString()!;
            reader.Read();
            if (name == "features")
            {
                if (withFeatures && reader.TokenType == JsonTokenType.StartObject) features = FeatureCache.ReadFeatures(ref reader);
                else reader.Skip();
                continue;
            }
            if (slot) lastNames[k] = name;
            keys.Add(reader.TokenType switch
            {
                JsonTokenType.String => new KeyValue(name, Kind.String, Text(ref reader, lastTexts, k)),
                JsonTokenType.Number when reader.TryGetInt64(out var n) && !reader.ValueSpan.ContainsAny((byte)'.', (byte)'e', (byte)'E') => new KeyValue(name, Kind.Int64, Integer: n),
                JsonTokenType.Number => new KeyValue(name, Kind.Double, Real: reader.GetDouble()),
                JsonTokenType.True or JsonTokenType.False => new KeyValue(name, Kind.Bool, Flag: reader.GetBoolean()),
                JsonTokenType.Null => new KeyValue(name, Kind.String),
                _ => new KeyValue(name, Kind.String, Nested(ref reader)),
            });
        }
        return (keys, features);
    }

    private static string? Text(ref Utf8JsonReader reader, string?[] last, int k)
    {
        if (k >= last.Length) return reader.GetString();
        if (last[k] is { } same && reader.ValueTextEquals(same)) return same;
        return last[k] = reader.GetString();
    }

    private static string Nested(ref Utf8JsonReader reader)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return doc.RootElement.GetRawText();
    }

    private sealed class KeyColumn(string name, Kind kind)
    {
        public string Name { get; } = name;

        public Kind Kind { get; } = kind;

        private string?[] _texts = [];
        private long?[] _integers = [];
        private double?[] _reals = [];
        private bool?[] _flags = [];

        public DataField Field { get; } = kind switch
        {
            Kind.Int64 => new DataField<long?>(name),
            Kind.Double => new DataField<double?>(name),
            Kind.Bool => new DataField<bool?>(name),
            _ => new DataField<string>(name),
        };

        public void Allocate(int rows)
        {
            switch (Kind)
            {
                case Kind.Int64: _integers = new long?[rows]; break;
                case Kind.Double: _reals = new double?[rows]; break;
                case Kind.Bool: _flags = new bool?[rows]; break;
                default: _texts = new string?[rows]; break;
            }
        }

        /// <summary>Stores <paramref name="value"/>, whose kind matches the column's unless it is null.</summary>
        public void Set(int row, KeyValue value)
        {
            switch (Kind)
            {
                case Kind.Int64: _integers[row] = value.IsNull ? null : value.Integer; break;
                case Kind.Double: _reals[row] = value.IsNull ? null : value.Real; break;
                case Kind.Bool: _flags[row] = value.IsNull ? null : value.Flag; break;
                default: _texts[row] = value.Text; break;
            }
        }

        public Task WriteAsync(ParquetRowGroupWriter group, int rows, CancellationToken ct) => Kind switch
        {
            Kind.Int64 => group.WriteAsync<long>(Field, _integers.AsMemory(0, rows), null, null, ct),
            Kind.Double => group.WriteAsync<double>(Field, _reals.AsMemory(0, rows), null, null, ct),
            Kind.Bool => group.WriteAsync<bool>(Field, _flags.AsMemory(0, rows), null, null, ct),
            _ => group.WriteAsync(Field, _texts.AsSpan(0, rows).ToArray()),
        };
    }
}
