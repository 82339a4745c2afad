using System.Text.Json;
using System.Text.Json.Serialization;
using Konvid.Core.Workspace;

namespace Konvid.Core.Modeling;

/// <summary>
/// What a consumer of seed&lt;N&gt;.onnx needs to use and trust it: the feature order of the input vector, the graph's
/// input and output, the file's SHA-256, how it was trained and how it scored on the held-out fold.
/// </summary>
public sealed record ModelCard(
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
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
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

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";
}

/// <summary>The graph's only input and output, as ONNX Runtime sees them.</summary>
public sealed record ModelIo(string Input, string InputShape, string Output, string OutputShape);

/// <summary>
/// How the head was made. <see cref="SeedChanges"/> says what a different seed perturbs; <see cref="Selection"/>
/// holds each candidate learner's RMSE on this seed's validation carve-out.
/// </summary>
public sealed record TrainingRecipe(
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
public sealed record TrainingData(string JsonlSha256, int Rows, int TrainRows, int HeldOutRows, double Holdout, string Split);
