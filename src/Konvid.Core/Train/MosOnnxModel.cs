using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Konvid.Core.Train;

/// <summary>
/// One exported head in ONNX Runtime (CPU): the runtime Predict uses, so evaluation measures what ships. Refuses a
/// graph whose input and output are not exactly features [N, F] and mos [N].
/// </summary>
internal sealed class MosOnnxModel : IDisposable
{
    private readonly InferenceSession _session;

    public MosOnnxModel(byte[] onnx, int threads = 1)
    {
        using var options = new SessionOptions { IntraOpNumThreads = Math.Max(1, threads), InterOpNumThreads = 1 };
        _session = new InferenceSession(onnx, options);
        if (_session.InputMetadata.Count != 1 || !_session.InputMetadata.TryGetValue(OnnxExport.InputName, out var input) ||
            input.ElementType != typeof(float) || input.Dimensions.Length != 2)
            throw new InvalidDataException($"the ONNX model must have exactly one input '{OnnxExport.InputName}' float32 [N,F]; it has {Describe(_session.InputMetadata)}");
        if (_session.OutputMetadata.Count != 1 || !_session.OutputMetadata.TryGetValue(OnnxExport.OutputName, out var output) ||
            output.ElementType != typeof(float) || output.Dimensions.Length != 1)
            throw new InvalidDataException($"the ONNX model must have exactly one output '{OnnxExport.OutputName}' float32 [N]; it has {Describe(_session.OutputMetadata)}");
        Features = input.Dimensions[1];
    }

    public int Features { get; }

    /// <summary>MOS for <paramref name="rows"/> rows of a row-major matrix.</summary>
    public float[] Predict(ReadOnlyMemory<float> values, int rows)
    {
        if (values.Length != rows * Features)
            throw new ArgumentException($"expected {rows} x {Features} values, got {values.Length}");
        if (rows == 0) return [];
        var tensor = new DenseTensor<float>(values.ToArray(), [rows, Features]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, tensor)]);
        return results.Single().AsEnumerable<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();

    internal static string Describe(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        string.Join(", ", metadata.Select(m => $"'{m.Key}' {m.Value.ElementType.Name} [{string.Join(",", m.Value.Dimensions)}]"));
}
