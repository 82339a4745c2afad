using System.Text.Json;
using Konvid.Core.Workspace;

namespace Konvid.Core.Train;

/// <summary>
/// The corpus as one row-major float matrix in a fixed feature order, plus each row's clip id and MOS. Built by
/// streaming the JSONL twice (feature names, then values): no per-row objects are kept.
/// </summary>
internal sealed class CorpusMatrix
{
    private CorpusMatrix(IReadOnlyList<string> featureOrder, string[] ids, float[] mos, float[] values,
        IReadOnlyList<AttritionEntry> skipped, string jsonlSha256, string featureSet)
    {
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

    public int Rows => Mos.Length;

    public int Columns => FeatureOrder.Count;

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Columns, Columns);

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
        long lines = 0;
        if (featureOrder is null)
        {
            var lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
            await JsonlLines.ForEachAsync(jsonl, (line, number) =>
            {
                lines++;
                Parse(line, number, jsonl, featureSets, (name, _) =>
                {
                    if (!lookup.ContainsKey(name)) lookup[name] = 0;
                });
            }, ct);
            featureOrder = names.Keys.Order(StringComparer.Ordinal).ToArray();
            names.Clear();
        }
        for (var i = 0; i < featureOrder.Count; i++) names[featureOrder[i]] = i;
        if (featureOrder.Count == 0)
            throw new KonvidException($"Train: no row of {jsonl} has any feature", "run the Features and Jsonl targets so rows carry a 'features' object");

        var columns = featureOrder.Count;
        var index = names.GetAlternateLookup<ReadOnlySpan<char>>();
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var mos = new List<float>();
        var values = new List<float>(checked((int)Math.Min(int.MaxValue, Math.Max(lines, 16) * columns)));
        var skipped = new List<AttritionEntry>();
        var row = new float[columns];
        var present = new bool[columns];
        featureSets.Clear();
        using var task = progress.Start("Read corpus", lines, "rows");
        var sha = await JsonlLines.ForEachAsync(jsonl, (line, number) =>
        {
            Array.Fill(row, float.NaN);
            Array.Clear(present);
            var parsed = Parse(line, number, jsonl, featureSets, (name, value) =>
            {
                if (index.TryGetValue(name, out var c)) { row[c] = (float)value; present[c] = true; }
            });
            task.Advance();
            var id = parsed.Src ?? $"line {number}";
            string? reason = null;
            if (parsed.Src is null) reason = "row has no 'src'";
            else if (parsed.Mos is not { } m || !double.IsFinite(m) || m < 1 || m > 5) reason = $"mos {parsed.Mos?.ToString("R") ?? "missing"} is not a number in [1, 5]";
            else if (Array.IndexOf(present, false) is var missing and >= 0) reason = $"feature '{featureOrder[missing]}' is missing";
            else if (Array.FindIndex(row, v => !float.IsFinite(v)) is var bad and >= 0) reason = $"feature '{featureOrder[bad]}' is not finite";
            else if (!seen.Add(parsed.Src)) reason = "duplicate clip id";
            if (reason is not null)
            {
                skipped.Add(new AttritionEntry(id, Stage.Train, reason));
                return;
            }
            ids.Add(parsed.Src!);
            mos.Add((float)parsed.Mos!.Value);
            values.AddRange(row);
        }, ct);
        if (skipped.Count > 0)
            progress.Warn($"Train: {skipped.Count} of {skipped.Count + ids.Count} rows skipped (first: {skipped[0].Id}: {skipped[0].Reason}); see attrition.csv");
        return new CorpusMatrix(featureOrder, ids.ToArray(), mos.ToArray(), values.ToArray(), skipped, sha,
            featureSets.Count == 0 ? "nr-v1" : string.Join("+", featureSets));
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
