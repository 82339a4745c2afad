using System.Security.Cryptography;
using System.Text;
using Konvid.Core.Features.Deep;
using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Core.Predict;

/// <summary>
/// The registered heads of a model folder (registry/ or models/), loaded into ONNX Runtime: a clip's features in,
/// the MOS out (mean over seeds). The input vector follows the cards' feature order, never the caller's.
/// </summary>
internal sealed class Predictor : IDisposable
{
    private readonly IReadOnlyList<(ModelCard Card, MosOnnxModel Model)> _heads;

    private Predictor(string modelDir, IReadOnlyList<(ModelCard, MosOnnxModel)> heads)
    {
        ModelDir = modelDir;
        _heads = heads;
    }

    public string ModelDir { get; }

    public IReadOnlyList<string> FeatureOrder => _heads[0].Card.FeatureOrder;

    public IReadOnlyList<ModelCard> Cards => _heads.Select(h => h.Card).ToList();

    /// <summary>Names the model in score files: the first 12 hex digits of SHA-256 over its heads' ONNX SHA-256s.</summary>
    public string ModelId => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(",", _heads.Select(h => h.Card.OnnxSha256)))))[..12];

    /// <summary>Loads every seed&lt;N&gt;.onnx with its card; a missing, altered or mismatched file is one line naming it.</summary>
    public static Predictor Load(string modelDir, int threads = 1)
    {
        var remedy = "point --model at a folder Gate promoted (registry/) or Train wrote (models/)";
        // Before the first session: ORT's own multi-line log would otherwise go to stderr unasked.
        OrtNativeLog.EnsureEnvironment();
        var cards = ModelCard.ReadAll(modelDir, remedy);
        var heads = new List<(ModelCard, MosOnnxModel)>();
        try
        {
            foreach (var card in cards)
            {
                var path = Path.Combine(modelDir, card.OnnxFile);
                MosOnnxModel model;
                try { model = new MosOnnxModel(File.ReadAllBytes(path), threads); }
                catch (Exception e) when (e is InvalidDataException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
                {
                    throw new KonvidException($"{path} is not a usable MOS head ({e.Message})", remedy);
                }
                heads.Add((card, model));
                if (model.Features != card.FeatureOrder.Count)
                    throw new KonvidException($"{path} takes {model.Features} features but its card lists {card.FeatureOrder.Count}", remedy);
            }
        }
        catch
        {
            foreach (var (_, model) in heads) model.Dispose();
            throw;
        }
        return new Predictor(modelDir, heads);
    }

    public Prediction Predict(IReadOnlyDictionary<string, double> features)
    {
        var vector = new float[FeatureOrder.Count];
        for (var i = 0; i < vector.Length; i++)
        {
            var name = FeatureOrder[i];
            if (!features.TryGetValue(name, out var value))
                throw new KonvidException($"Predict: the clip has no feature '{name}', which the model in {ModelDir} needs",
                    "extract features with the same feature set the model was trained on (see feature_set in its card)");
            if (!double.IsFinite(value))
                throw new KonvidException($"Predict: feature '{name}' is {value}", "the clip's features are unusable; check that it decodes");
            vector[i] = (float)value;
        }
        var perSeed = PredictRows(vector, 1).Select(p => p.Mos[0]).ToArray();
        var seeds = _heads.Select((h, i) => (h.Card.Recipe.Seed, (double)perSeed[i])).ToList();
        return new Prediction(seeds.Average(s => s.Item2), seeds);
    }

    /// <summary>Every head's MOS for rows of a row-major matrix in this model's feature order.</summary>
    internal IReadOnlyList<(int Seed, float[] Mos)> PredictRows(float[] values, int rows) =>
        _heads.Select(h => (h.Card.Recipe.Seed, h.Model.Predict(values, rows))).ToList();

    public void Dispose()
    {
        foreach (var (_, model) in _heads) model.Dispose();
    }
}
