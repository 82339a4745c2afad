using System.Text.Json;
using System.Text.Json.Serialization;
using Konvid.Core.Workspace;

namespace Konvid.Core.Train;

/// <summary>
/// What a consumer of seed&lt;N&gt;.onnx needs to use and trust it: the feature order of the input vector, the graph's
/// input and output, the file's SHA-256, how it was trained and how it scored on the held-out fold.
/// </summary>
internal sealed record ModelCard(
    string Id,
    string Kind,
    string FeatureSet,
    IReadOnlyList<string> FeatureOrder,
    IReadOnlyList<string> EncoderVocab,
    int EncoderVocabVersion,
    IReadOnlyList<double> MosRange,
    string OnnxFile,
    long Opset,
    string OnnxSha256,
    ModelIo Io,
    TrainingRecipe Recipe,
    TrainingData Data,
    ModelMetrics Metrics,
    string Reproducibility)
{
    public const string ModelName = "mos_regressor_v1";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string FileName(int seed) => $"seed{seed}.card.json";

    public static string OnnxFileName(int seed) => $"seed{seed}.onnx";

    public static async Task<ModelCard> ReadAsync(string path, CancellationToken ct)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<ModelCard>(stream, Json, ct)
                   ?? throw new JsonException("the card is null");
        }
        catch (JsonException e)
        {
            throw new KonvidException($"model card {path} is not readable ({e.Message})", "re-run the Train target to rewrite it");
        }
    }

    /// <summary>
    /// Every seed&lt;N&gt;.card.json in <paramref name="dir"/>, ordered by seed, each ONNX file present and matching its
    /// card's SHA-256, all from one training run (same corpus and feature order); otherwise one line naming the file.
    /// </summary>
    public static IReadOnlyList<ModelCard> ReadAll(string dir, string remedy)
    {
        var paths = Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "seed*.card.json").Order(StringComparer.Ordinal).ToList()
            : [];
        if (paths.Count == 0) throw new KonvidException($"no seed<N>.card.json model cards in {dir}", remedy);
        var cards = new List<ModelCard>();
        foreach (var path in paths)
        {
            ModelCard card;
            try { card = JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(path), Json) ?? throw new JsonException("the card is null"); }
            catch (JsonException e) { throw new KonvidException($"model card {path} is not readable ({e.Message})", remedy); }
            var onnx = Path.Combine(dir, card.OnnxFile);
            if (!File.Exists(onnx)) throw new KonvidException($"{onnx} named by {path} is missing", remedy);
            using (var stream = File.OpenRead(onnx))
                if (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)) != card.OnnxSha256)
                    throw new KonvidException($"{onnx} does not match the SHA-256 in {path}", remedy);
            cards.Add(card);
        }
        cards.Sort((a, b) => a.Recipe.Seed.CompareTo(b.Recipe.Seed));
        if (cards.Select(c => c.Data.JsonlSha256).Distinct().Count() > 1 || cards.Any(c => !c.FeatureOrder.SequenceEqual(cards[0].FeatureOrder)))
            throw new KonvidException($"the model cards in {dir} come from different training runs (corpus or feature order differ)", remedy);
        return cards;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";
}

/// <summary>The graph's only input and output, as ONNX Runtime sees them.</summary>
internal sealed record ModelIo(string Input, string InputShape, string Output, string OutputShape);

/// <summary>
/// How the head was made. <see cref="SeedChanges"/> says what a different seed perturbs; <see cref="Selection"/>
/// holds each candidate learner's RMSE on this seed's validation carve-out.
/// </summary>
internal sealed record TrainingRecipe(
    string Model,
    string Trainer,
    IReadOnlyDictionary<string, double> HyperParameters,
    int Seed,
    string SeedChanges,
    int Rows,
    int Threads,
    string Selection,
    IReadOnlyDictionary<string, double> ValidationRmse,
    int ValidationRows);

/// <summary>The corpus the head was trained on and the fold it was measured on.</summary>
internal sealed record TrainingData(string JsonlSha256, int Rows, int TrainRows, int HeldOutRows, double Holdout, string Split);
