using System.Buffers.Binary;
using static Konvid.Core.Train.OnnxExport;

namespace Konvid.Core.Train;

/// <summary>
/// Writes a <see cref="KernelHead"/> as an ONNX graph of the same contract as the trees' (<c>features</c> float32
/// [N, F] in, <c>mos</c> float32 [N] clamped to [1, 5] out). The graph computes in double, as the in-memory head
/// does: Cast, Sub mean, Div scale, Clip (when the head limits its features), MatMul projection, Add phase, Cos, MatMul weights, Add bias, Cast, Clip, Reshape.
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
        var (nodes, initializers) = Graph(head, "", "score_float");
        foreach (var node in nodes) graph.AddMessage(GraphNode, node);
        graph.AddMessage(GraphNode, Node("mos_clip", "Clip", ["score_float", "mos_min", "mos_max"], ["mos_clipped"]));
        graph.AddMessage(GraphNode, Node("mos_flatten", "Reshape", ["mos_clipped", "mos_shape"], [OutputName]));
        graph.AddString(GraphName, ModelCard.ModelName);
        foreach (var initializer in initializers) graph.AddMessage(GraphInitializer, initializer);
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

    /// <summary>
    /// The nodes and initializers that compute the head's unclamped score, float32 [N, 1], into <paramref name="output"/>
    /// from the graph input; every other name starts with <paramref name="prefix"/>.
    /// </summary>
    public static (IReadOnlyList<ProtoMessage> Nodes, IReadOnlyList<ProtoMessage> Initializers) Graph(KernelHead head, string prefix, string output)
    {
        string P(string name) => prefix + name;
        var limited = double.IsFinite(head.Choice.Clip);
        ProtoMessage[] nodes =
        [
            Cast(P("to_double"), InputName, P("x"), TensorDouble),
            Node(P("centre"), "Sub", [P("x"), P("mean")], [P("centred")]),
            Node(P("standardise"), "Div", [P("centred"), P("scale")], [P("standardised")]),
            .. limited ? [Node(P("limit"), "Clip", [P("standardised"), P("clip_min"), P("clip_max")], [P("limited")])] : Array.Empty<ProtoMessage>(),
            Node(P("project"), "MatMul", [limited ? P("limited") : P("standardised"), P("projection")], [P("projected")]),
            Node(P("shift"), "Add", [P("projected"), P("phase")], [P("shifted")]),
            Node(P("fourier"), "Cos", [P("shifted")], [P("fourier_features")]),
            Node(P("combine"), "MatMul", [P("fourier_features"), P("weights")], [P("combined")]),
            Node(P("offset"), "Add", [P("combined"), P("bias")], [P("score")]),
            Cast(P("to_float"), P("score"), output, TensorFloat),
        ];
        ProtoMessage[] initializers =
        [
            Doubles(P("mean"), [head.Features], head.Mean),
            Doubles(P("scale"), [head.Features], head.Scale),
            Doubles(P("projection"), [head.Features, head.Components], head.Projection),
            Doubles(P("phase"), [head.Components], head.Phase),
            Doubles(P("weights"), [head.Components, 1], head.Weights),
            Doubles(P("bias"), [1], [head.Bias]),
            .. limited ? [Doubles(P("clip_min"), [], [-head.Choice.Clip]), Doubles(P("clip_max"), [], [head.Choice.Clip])] : Array.Empty<ProtoMessage>(),
        ];
        return (nodes, initializers);
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
