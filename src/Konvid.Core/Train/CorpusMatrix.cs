using System.Text.Json;
using Konvid.Core.Jsonl;
using Konvid.Core.Workspace;

namespace Konvid.Core.Train;

/// <summary>
/// The corpus as one row-major float matrix in a fixed feature order, plus each row's clip id and MOS. Built from the
/// corpus's Parquet twin column by column, or by streaming the JSONL twice (feature names, then values): no per-row
/// objects are kept.
/// </summary>
internal sealed class CorpusMatrix
{
    private CorpusMatrix(IReadOnlyList<string> featureOrder, string[] ids, float[] mos, float[] values,
        IReadOnlyList<AttritionEntry> skipped, string jsonlSha256, string featureSet, string source)
    {
        Source = source;
        FeatureOrder = featureOrder;
        Ids = ids;
        Mos = mos;
        Values = values;
        Skipped = skipped;
        JsonlSha256 = jsonlSha256;
        FeatureSet = featureSet;
    }

    public IReadOnlyList<string> FeatureOrder { get; }

    public IReadOnlyList<string> Ids { get; }

    public float[] Mos { get; }

    /// <summary>Row-major, <see cref="Rows"/> x <see cref="Columns"/>.</summary>
    public float[] Values { get; }

    public IReadOnlyList<AttritionEntry> Skipped { get; }

    public string JsonlSha256 { get; }

    public string FeatureSet { get; }

    /// <summary>The file the rows were read from: the JSONL or its Parquet twin.</summary>
    public string Source { get; }

    public int Rows => Mos.Length;

    public int Columns => FeatureOrder.Count;

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Columns, Columns);

    /// <summary>
    /// Reads the corpus of <paramref name="layout"/>: its Parquet twin when that is current (written from the JSONL as it
    /// is now, see <see cref="CorpusParquet"/>) and carries every feature of <paramref name="featureOrder"/>, else the
    /// JSONL. Both give the same matrix.
    /// </summary>
    public static async Task<CorpusMatrix> LoadAsync(CorpusLayout layout, IReadOnlyList<string>? featureOrder, IProgressReporter progress, CancellationToken ct) =>
        await CorpusParquetReader.TryLoadAsync(layout, featureOrder, progress, ct)
        ?? await LoadAsync(layout.CorpusJsonl, featureOrder, progress, ct);

    /// <summary>
    /// Reads <paramref name="jsonl"/>; the feature order is <paramref name="featureOrder"/> (a card's) or, when null, the
    /// sorted union of every row's feature names. Rows lacking a feature of the order, with a non-finite value, or
    /// without a MOS in [1, 5] are skipped and listed in <see cref="Skipped"/> (stage Train).
    /// </summary>
    public static async Task<CorpusMatrix> LoadAsync(string jsonl, IReadOnlyList<string>? featureOrder, IProgressReporter progress, CancellationToken ct)
    {
        if (!File.Exists(jsonl))
            throw new KonvidException($"Train: corpus {jsonl} does not exist", "run the Jsonl target first");

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var featureSets = new SortedSet<string>(StringComparer.Ordinal);
        long? lines = null;
        if (featureOrder is null)
        {
            var lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
            long count = 0;
            await JsonlLines.ForEachAsync(jsonl, (line, number) =>
            {
                count++;
                Parse(line, number, jsonl, featureSets, (name, _) =>
                {
                    if (!lookup.ContainsKey(name)) lookup[name] = 0;
                });
            }, ct);
            lines = count;
            featureOrder = names.Keys.Order(StringComparer.Ordinal).ToArray();
            names.Clear();
        }
        for (var i = 0; i < featureOrder.Count; i++) names[featureOrder[i]] = i;
        if (featureOrder.Count == 0)
            throw new KonvidException($"Train: no row of {jsonl} has any feature", "run the Features and Jsonl targets so rows carry a 'features' object");

        var index = names.GetAlternateLookup<ReadOnlySpan<char>>();
        var builder = new Builder(featureOrder, lines);
        var row = new float[featureOrder.Count];
        var present = new bool[featureOrder.Count];
        featureSets.Clear();
        using var task = progress.Start("Read corpus", lines ?? 0, "rows");
        var sha = await JsonlLines.ForEachAsync(jsonl, (line, number) =>
        {
            Array.Fill(row, float.NaN);
            Array.Clear(present);
            var parsed = Parse(line, number, jsonl, featureSets, (name, value) =>
            {
                if (index.TryGetValue(name, out var c)) { row[c] = (float)value; present[c] = true; }
            });
            task.Advance();
            builder.Add(parsed.Src, parsed.Mos, $"line {number}", row, present);
        }, ct);
        return builder.Build(sha, featureSets, jsonl, progress);
    }

    /// <summary>
    /// Collects accepted rows straight into one array (sized up front when the row count is known, so the matrix is
    /// never held twice) and applies the one set of skip rules whatever file the rows come from.
    /// </summary>
    internal sealed class Builder(IReadOnlyList<string> featureOrder, long? rows)
    {
        private readonly int _columns = featureOrder.Count;
        private readonly List<string> _ids = new(checked((int)(rows ?? 16)));
        private readonly List<float> _mos = new(checked((int)(rows ?? 16)));
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly List<AttritionEntry> _skipped = [];
        private float[] _values = new float[checked((int)(rows ?? 16) * featureOrder.Count)];

        /// <summary>One row; an empty <paramref name="present"/> means every feature is there. <paramref name="where"/> names a row without a src.</summary>
        public void Add(string? src, double? mos, string where, ReadOnlySpan<float> row, ReadOnlySpan<bool> present)
        {
            string? reason = null;
            if (src is null) reason = "row has no 'src'";
            else if (mos is not { } m || !double.IsFinite(m) || m < 1 || m > 5) reason = $"mos {mos?.ToString("R") ?? "missing"} is not a number in [1, 5]";
            else if (present.IndexOf(false) is var missing and >= 0) reason = $"feature '{featureOrder[missing]}' is missing";
            else if (IndexOfNonFinite(row) is var bad and >= 0) reason = $"feature '{featureOrder[bad]}' is not finite";
            else if (!_seen.Add(src)) reason = "duplicate clip id";
            if (reason is not null)
            {
                _skipped.Add(new AttritionEntry(src ?? where, Stage.Train, reason));
                return;
            }
            var offset = _ids.Count * _columns;
            if (offset + _columns > _values.Length) Array.Resize(ref _values, Math.Max(offset + _columns, _values.Length * 2));
            row.CopyTo(_values.AsSpan(offset, _columns));
            _ids.Add(src!);
            _mos.Add((float)mos!.Value);
        }

        public CorpusMatrix Build(string sha256, IReadOnlyCollection<string> featureSets, string source, IProgressReporter progress)
        {
            if (_skipped.Count > 0)
                progress.Warn($"Train: {_skipped.Count} of {_skipped.Count + _ids.Count} rows skipped (first: {_skipped[0].Id}: {_skipped[0].Reason}); see attrition.csv");
            var used = _ids.Count * _columns;
            if (used != _values.Length) Array.Resize(ref _values, used);
            return new CorpusMatrix(featureOrder, _ids.ToArray(), _mos.ToArray(), _values, _skipped, sha256,
                featureSets.Count == 0 ? "nr-v1" : string.Join("+", featureSets.Order(StringComparer.Ordinal)), source);
        }

        private static int IndexOfNonFinite(ReadOnlySpan<float> row)
        {
            for (var i = 0; i < row.Length; i++)
                if (!float.IsFinite(row[i])) return i;
            return -1;
        }
    }

    private delegate void FeatureHandler(ReadOnlySpan<char> name, double value);

    private readonly record struct ParsedRow(string? Src, double? Mos);

    private static ParsedRow Parse(ReadOnlySpan<byte> line, long number, string path, SortedSet<string> featureSets, FeatureHandler onFeature)
    {
        string? src = null;
        double? mos = null;
        Span<char> name = stackalloc char[256];
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new JsonException("a row must be a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("src"u8)) { reader.Read(); src = reader.TokenType == JsonTokenType.String ? reader.GetString() : null; }
                else if (reader.ValueTextEquals("mos"u8)) { reader.Read(); mos = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : null; }
                else if (reader.ValueTextEquals("feature_set"u8)) { reader.Read(); if (reader.TokenType == JsonTokenType.String) featureSets.Add(reader.GetString()!); }
                else if (reader.ValueTextEquals("features"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var length = reader.CopyString(name);
                        reader.Read();
                        onFeature(name[..length], reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : double.NaN);
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                    }
                }
                else { reader.Read(); reader.Skip(); }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new KonvidException($"Train: {path}:{number} is not a valid corpus row ({e.Message})", "re-run the Jsonl target (--force Jsonl) to rewrite the corpus");
        }
        return new ParsedRow(src, mos);
    }
}
