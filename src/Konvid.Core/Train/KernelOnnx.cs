using System.Buffers.Binary;
using static Konvid.Core.Train.OnnxExport;

namespace Konvid.Core.Train;

/// <summary>
/// Writes a <see cref="KernelHead"/> as an ONNX graph of the same contract as the trees' (<c>features</c> float32
/// [N, F] in, <c>mos</c> float32 [N] clamped to [1, 5] out). The graph computes in double, as the in-memory head
/// does: Cast, Sub mean, Div scale, MatMul projection, Add phase, Cos, MatMul weights, Add bias, Cast, Clip, Reshape.
/// Nothing in it depends on the time or the machine, so the same head gives the same bytes.
/// </summary>
internal static class KernelOnnx
{
    private const long IrVersion = 7, OpsetVersion = 13;
    private const int ModelIrVersion = 1, ModelProducerName = 2;
    private const int NodeAttribute = 5, AttributeName = 1, AttributeInt = 3, AttributeType = 20, AttributeTypeInt = 2;
    private const int TensorDouble = 11;

    public static byte[] Export(KernelHead head)
    {
        var graph = new ProtoMessage();
        graph.AddMessage(GraphNode, Cast("to_double", InputName, "x", TensorDouble));
        graph.AddMessage(GraphNode, Node("centre", "Sub", ["x", "mean"], ["centred"]));
        graph.AddMessage(GraphNode, Node("standardise", "Div", ["centred", "scale"], ["standardised"]));
        graph.AddMessage(GraphNode, Node("project", "MatMul", ["standardised", "projection"], ["projected"]));
        graph.AddMessage(GraphNode, Node("shift", "Add", ["projected", "phase"], ["shifted"]));
        graph.AddMessage(GraphNode, Node("fourier", "Cos", ["shifted"], ["fourier_features"]));
        graph.AddMessage(GraphNode, Node("combine", "MatMul", ["fourier_features", "weights"], ["combined"]));
        graph.AddMessage(GraphNode, Node("offset", "Add", ["combined", "bias"], ["score"]));
        graph.AddMessage(GraphNode, Cast("to_float", "score", "score_float", TensorFloat));
        graph.AddMessage(GraphNode, Node("mos_clip", "Clip", ["score_float", "mos_min", "mos_max"], ["mos_clipped"]));
        graph.AddMessage(GraphNode, Node("mos_flatten", "Reshape", ["mos_clipped", "mos_shape"], [OutputName]));
        graph.AddString(GraphName, ModelCard.ModelName);
        graph.AddMessage(GraphInitializer, Doubles("mean", [head.Features], head.Mean));
        graph.AddMessage(GraphInitializer, Doubles("scale", [head.Features], head.Scale));
        graph.AddMessage(GraphInitializer, Doubles("projection", [head.Features, head.Components], head.Projection));
        graph.AddMessage(GraphInitializer, Doubles("phase", [head.Components], head.Phase));
        graph.AddMessage(GraphInitializer, Doubles("weights", [head.Components, 1], head.Weights));
        graph.AddMessage(GraphInitializer, Doubles("bias", [1], [head.Bias]));
        graph.AddMessage(GraphInitializer, FloatScalar("mos_min", MosMin));
        graph.AddMessage(GraphInitializer, FloatScalar("mos_max", MosMax));
        graph.AddMessage(GraphInitializer, Int64Vector("mos_shape", [-1]));
        graph.AddMessage(GraphInput, TensorInfo(InputName, [null, head.Features]));
        graph.AddMessage(GraphOutput, TensorInfo(OutputName, [null]));

        return new ProtoMessage()
            .AddVarint(ModelIrVersion, IrVersion)
            .AddString(ModelProducerName, "konvid")
            .AddMessage(ModelGraph, graph)
            .AddMessage(ModelOpsetImport, new ProtoMessage().AddString(1, "").AddVarint(2, OpsetVersion))
            .ToBytes();
    }

    private static ProtoMessage Cast(string name, string input, string output, int to) =>
        Node(name, "Cast", [input], [output]).AddMessage(NodeAttribute,
            new ProtoMessage().AddString(AttributeName, "to").AddVarint(AttributeInt, (ulong)to).AddVarint(AttributeType, AttributeTypeInt));

    private static ProtoMessage Doubles(string name, long[] dims, double[] values)
    {
        var raw = new byte[8 * values.Length];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(8 * i), values[i]);
        var tensor = new ProtoMessage();
        foreach (var d in dims) tensor.AddVarint(TensorDims, (ulong)d);
        return tensor.AddVarint(TensorDataType, TensorDouble).AddString(TensorName, name).AddBytes(TensorRawData, raw);
    }
}
