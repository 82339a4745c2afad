using Microsoft.ML;

namespace Konvid.Core.Train;

/// <summary>A fitted head of either family as Train uses it: unclamped in-memory predictions and the ONNX it ships as.</summary>
internal interface IMosHead
{
    MosLearner Learner { get; }

    float[] Predict(CorpusMatrix matrix, int[] rows);

    byte[] ExportOnnx(CorpusMatrix matrix, int seed);
}

/// <summary>Gradient-boosted trees fitted by ML.NET, exported through its ONNX converter.</summary>
internal sealed record TreesHead(ITransformer Model, MosLearner Learner) : IMosHead
{
    public float[] Predict(CorpusMatrix matrix, int[] rows) => MosTrainer.Predict(Model, matrix, rows);

    public byte[] ExportOnnx(CorpusMatrix matrix, int seed) => OnnxExport.Export(Model, matrix, seed);
}

/// <summary>The kernel family's head, exported by <see cref="KernelOnnx"/>.</summary>
internal sealed record KernelRidgeHead(KernelHead Head) : IMosHead
{
    public MosLearner Learner => MosLearner.Kernel;

    public float[] Predict(CorpusMatrix matrix, int[] rows) => Head.Predict(matrix, rows);

    public byte[] ExportOnnx(CorpusMatrix matrix, int seed) => KernelOnnx.Export(Head);
}
