using Konvid.Core.Workspace;
using Parquet;
using Parquet.Schema;
using static Konvid.Core.Jsonl.CorpusParquetWriter;

namespace Konvid.Core.Jsonl;

/// <summary>
/// The Parquet twin of the corpus JSONL the last run wrote, read forward one row group at a time: a row copied from
/// that JSONL takes its Parquet cells from here by its row number (<see cref="RowSpot.Row"/>) instead of parsing its
/// line again (at 150,000 rows of 46 features the parse cost 1.9 s of CPU, the largest part of adding one clip).
/// Only a file whose footer describes the JSONL on disk is opened. A row in a group already passed is not read again:
/// the caller parses its line, so rows in another order cost the parse, never a group read per row. A file that
/// cannot be read from some row on costs the parse of the rows after it.
/// </summary>
internal sealed class PreviousParquet : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly ParquetReader _reader;
    private readonly DataField[] _keys, _features;
    private readonly Kind[] _kinds;
    private readonly int _stampKey;
    private readonly long[] _starts;
    private Group? _current;
    private bool _broken;

    /// <summary>The group after the one in hand, read while rows are served from this one.</summary>
    private Task<Group>? _next;

    private sealed record Group(int Number, Array[] Keys, float[][] Features);

    private PreviousParquet(FileStream stream, ParquetReader reader, DataField[] keys, Kind[] kinds, DataField[] features, int stampKey)
    {
        (_stream, _reader, _keys, _kinds, _features, _stampKey) = (stream, reader, keys, kinds, features, stampKey);
        _starts = new long[reader.RowGroups.Count + 1];
        for (var g = 0; g < reader.RowGroups.Count; g++) _starts[g + 1] = _starts[g] + reader.RowGroups[g].RowCount;
    }

    /// <summary>
    /// The Parquet file of <paramref name="layout"/>'s corpus when its footer describes the JSONL on disk now and its
    /// columns are of the kinds <see cref="CorpusParquetWriter"/> writes; null otherwise, or when it cannot be read.
    /// </summary>
    public static async Task<PreviousParquet?> OpenAsync(CorpusLayout layout, CancellationToken ct)
    {
        var path = CorpusParquet.PathFor(layout);
        if (!File.Exists(path)) return null;
        FileStream? stream = null;
        ParquetReader? reader = null;
        try
        {
            // Jsonl deletes the file before it writes the new one; the open handle still reads the old one.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct);
            var fields = reader.Schema.DataFields;
            var keys = fields.Where(f => f.ClrType != typeof(float)).ToArray();
            var kinds = keys.Select(KindOf).ToArray();
            var stampKey = Array.FindIndex(keys, k => k.Name == CorpusRow.IngestedAtKey);
            if (CorpusParquet.CurrentSha256(reader.CustomMetadata, layout.CorpusJsonl) is null || stampKey < 0 || kinds.Any(k => k is null))
            {
                await reader.DisposeAsync();
                await stream.DisposeAsync();
                return null;
            }
            return new PreviousParquet(stream, reader, keys, kinds.Select(k => k!.Value).ToArray(), fields.Where(f => f.ClrType == typeof(float)).ToArray(), stampKey);
        }
        // A damaged file throws whatever its decoder meets (Thrift errors, bad lengths, bad casts).
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (reader is not null) await reader.DisposeAsync();
            if (stream is not null) await stream.DisposeAsync();
            return null;
        }
    }

    /// <summary>
    /// Row <paramref name="row"/>'s cells with <paramref name="stamp"/> as its ingested_at_utc, as the line copied from
    /// the JSONL carries them; null when the row lies in a group already passed (or beyond the file).
    /// </summary>
    public async ValueTask<ParquetCells?> CellsAsync(int row, string stamp, CancellationToken ct)
    {
        var group = Array.BinarySearch(_starts, (long)row);
        group = group >= 0 ? group : ~group - 1;
        if (_broken || row < 0 || group < (_current?.Number ?? 0) || group >= _reader.RowGroups.Count) return null;
        if (_current?.Number != group)
        {
            // Like the row index, this file is a cache: one that cannot be read costs the parse of the lines, not the run.
            try { await MoveToAsync(group, ct); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _broken = true;
                return null;
            }
        }
        var (keyValues, featureValues) = (_current!.Keys, _current.Features);
        var at = (int)(row - _starts[group]);
        var keys = new KeyValue[_keys.Length];
        for (var k = 0; k < keys.Length; k++)
        {
            var name = _keys[k].Name;
            keys[k] = k == _stampKey ? new KeyValue(name, Kind.String, stamp) : _kinds[k] switch
            {
                // A JSON null reads as a string key without text, whatever its column's kind.
                Kind.Int64 => ((long?[])keyValues[k])[at] is { } n ? new KeyValue(name, Kind.Int64, Integer: n) : new KeyValue(name, Kind.String),
                Kind.Double => ((double?[])keyValues[k])[at] is { } d ? new KeyValue(name, Kind.Double, Real: d) : new KeyValue(name, Kind.String),
                Kind.Bool => ((bool?[])keyValues[k])[at] is { } b ? new KeyValue(name, Kind.Bool, Flag: b) : new KeyValue(name, Kind.String),
                _ => new KeyValue(name, Kind.String, ((string?[])keyValues[k])[at]),
            };
        }
        var features = new KeyValuePair<string, double>[_features.Length];
        for (var f = 0; f < features.Length; f++) features[f] = new(_features[f].Name, featureValues[f][at]);
        return new ParquetCells(keys, features);
    }

    public async ValueTask DisposeAsync()
    {
        // A read still running must end before the stream under it is closed; its failure no longer matters.
        if (_next is not null)
        {
            try { await _next; }
            catch (Exception) when (!_next.IsCompletedSuccessfully) { }
        }
        await _reader.DisposeAsync();
        await _stream.DisposeAsync();
    }

    /// <summary>Makes <paramref name="group"/> the group in hand and starts reading the one after it.</summary>
    private async Task MoveToAsync(int group, CancellationToken ct)
    {
        // The group before is dropped first: at 1,068 features a group's floats are 64 MB.
        _current = null;
        var next = _next;
        _next = null;
        // One read at a time on the stream: a read ahead of another group ends before this one starts.
        var ahead = next is null ? null : await next;
        _current = ahead?.Number == group ? ahead : await ReadAsync(group, ct);
        if (group + 1 < _reader.RowGroups.Count) _next = Task.Run(() => ReadAsync(group + 1, ct), ct);
    }

    private async Task<Group> ReadAsync(int group, CancellationToken ct)
    {
        var reader = _reader.RowGroups[group];
        var rows = checked((int)reader.RowCount);
        var keyValues = new Array[_keys.Length];
        for (var k = 0; k < _keys.Length; k++)
        {
            switch (_kinds[k])
            {
                case Kind.Int64:
                    var integers = new long?[rows];
                    await reader.ReadAsync<long>(_keys[k], integers.AsMemory(), cancellationToken: ct);
                    keyValues[k] = integers;
                    break;
                case Kind.Double:
                    var reals = new double?[rows];
                    await reader.ReadAsync<double>(_keys[k], reals.AsMemory(), cancellationToken: ct);
                    keyValues[k] = reals;
                    break;
                case Kind.Bool:
                    var flags = new bool?[rows];
                    await reader.ReadAsync<bool>(_keys[k], flags.AsMemory(), cancellationToken: ct);
                    keyValues[k] = flags;
                    break;
                default:
                    var texts = new string?[rows];
                    await reader.ReadAsync(_keys[k], texts.AsMemory(), cancellationToken: ct);
                    keyValues[k] = texts;
                    break;
            }
        }
        var features = new float[_features.Length][];
        for (var f = 0; f < features.Length; f++)
        {
            features[f] = new float[rows];
            await reader.ReadAsync<float>(_features[f], features[f].AsMemory(), cancellationToken: ct);
        }
        return new Group(group, keyValues, features);
    }

    private static Kind? KindOf(DataField field) =>
        field.ClrType == typeof(long) ? Kind.Int64
        : field.ClrType == typeof(double) ? Kind.Double
        : field.ClrType == typeof(bool) ? Kind.Bool
        // Parquet.Net reads a string column's type back as ReadOnlyMemory<char>.
        : field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>) ? Kind.String
        : null;
}
