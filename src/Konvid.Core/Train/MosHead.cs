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

/// <summary>
/// The two families blended: <see cref="TreeWeight"/> · trees + <see cref="KernelWeight"/> · kernel, the weights fitted
/// on the seed's validation carve-out; computed in float as the exported graph computes it.
/// </summary>
internal sealed record BlendHead(TreesHead Trees, KernelRidgeHead Kernel, float TreeWeight, float KernelWeight) : IMosHead
{
    public MosLearner Learner => MosLearner.Blend;

    public float[] Predict(CorpusMatrix matrix, int[] rows)
    {
        var trees = Trees.Predict(matrix, rows);
        var kernel = Kernel.Predict(matrix, rows);
        var blended = new float[rows.Length];
        for (var i = 0; i < blended.Length; i++) blended[i] = TreeWeight * trees[i] + KernelWeight * kernel[i];
        return blended;
    }

    public byte[] ExportOnnx(CorpusMatrix matrix, int seed) =>
        OnnxExport.Blend(Trees.ExportOnnx(matrix, seed), OnnxExport.TreesScore, Kernel.Head, TreeWeight, KernelWeight);
}
