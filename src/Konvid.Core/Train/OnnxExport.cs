using System.Buffers.Binary;
using System.Text;
using Microsoft.ML;

namespace Konvid.Core.Train;

/// <summary>
/// Exports a fitted head with ML.NET's OnnxConverter, then rewrites the graph's head so that consumers see exactly one
/// input, <c>features</c> float32 [N, F], and one output, <c>mos</c> float32 [N] clamped to [1, 5]: the pass-through
/// outputs ML.NET adds (Features.output) are pruned and the score goes through Clip and Reshape.
/// </summary>
internal static class OnnxExport
{
    public const string InputName = "features";
    public const string OutputName = "mos";
    public const float MosMin = 1, MosMax = 5;

    // ONNX field numbers (onnx.proto3).
    internal const int ModelGraph = 7, ModelOpsetImport = 8;
    internal const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12, GraphValueInfo = 13;
    internal const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4;
    internal const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9;
    internal const int TensorFloat = 1, TensorInt64 = 7;

    public static byte[] Export(ITransformer model, CorpusMatrix matrix, int seed)
    {
        var ml = new MLContext(seed);
        using var stream = new MemoryStream();
        // A features-only input schema keeps Label out of the graph's inputs.
        ml.Model.ConvertToOnnx(model, new MatrixDataView(matrix, [0], label: false), stream);
        return Rewrite(stream.ToArray(), matrix.Columns);
    }

    /// <summary>The default-domain opset the graph declares.</summary>
    public static long Opset(byte[] onnx) =>
        ProtoMessage.Parse(onnx).All(ModelOpsetImport).Select(f => ProtoMessage.Parse(f.Bytes))
            .Where(o => string.IsNullOrEmpty(o.String(1))).Select(o => (long)(o.VarintValue(2) ?? 0)).Single();

    /// <summary>The tensor of ML.NET's graph that holds the trees' unclamped score.</summary>
    public const string TreesScore = "Score.output";

    internal static byte[] Rewrite(byte[] mlnetOnnx, int featureCount, string mlnetInput = "Features", string scoreTensor = TreesScore)
    {
        var model = ProtoMessage.Parse(mlnetOnnx);
        var graph = model.Message(ModelGraph) ?? throw new InvalidDataException("the exported ONNX model has no graph");
        if (!graph.All(GraphInput).Any(f => ProtoMessage.Parse(f.Bytes).String(1) == mlnetInput))
            throw new InvalidDataException($"the exported ONNX graph has no input '{mlnetInput}'");
        if (!graph.All(GraphNode).Any(f => ProtoMessage.Parse(f.Bytes).All(NodeOutput).Any(o => Encoding.UTF8.GetString(o.Bytes) == scoreTensor)))
            throw new InvalidDataException($"the exported ONNX graph has no tensor '{scoreTensor}'");

        var nodes = graph.All(GraphNode).Select(f => Rename(ProtoMessage.Parse(f.Bytes), mlnetInput, InputName)).ToList();
        nodes.Add(Node("mos_clip", "Clip", [scoreTensor, "mos_min", "mos_max"], ["mos_clipped"]));
        nodes.Add(Node("mos_flatten", "Reshape", ["mos_clipped", "mos_shape"], [OutputName]));
        var initializers = graph.All(GraphInitializer).Select(f => ProtoMessage.Parse(f.Bytes)).ToList();
        initializers.Add(FloatScalar("mos_min", MosMin));
        initializers.Add(FloatScalar("mos_max", MosMax));
        initializers.Add(Int64Vector("mos_shape", [-1]));

        // Keep only what computes mos, walking back from it (nodes are in topological order).
        var needed = new HashSet<string>(StringComparer.Ordinal) { OutputName };
        var kept = new List<ProtoMessage>();
        for (var i = nodes.Count - 1; i >= 0; i--)
        {
            if (!nodes[i].All(NodeOutput).Any(o => needed.Contains(Encoding.UTF8.GetString(o.Bytes)))) continue;
            kept.Insert(0, nodes[i]);
            foreach (var input in nodes[i].All(NodeInput)) needed.Add(Encoding.UTF8.GetString(input.Bytes));
        }

        var rewritten = new ProtoMessage();
        foreach (var node in kept) rewritten.AddMessage(GraphNode, node);
        rewritten.AddString(GraphName, "mos_regressor_v1");
        foreach (var init in initializers.Where(t => needed.Contains(t.String(TensorName) ?? ""))) rewritten.AddMessage(GraphInitializer, init);
        rewritten.AddMessage(GraphInput, TensorInfo(InputName, [null, featureCount]));
        rewritten.AddMessage(GraphOutput, TensorInfo(OutputName, [null]));
        // Everything else of the graph (doc string, unknown fields) is kept; stale inputs, outputs and value_info are not.
        foreach (var f in graph.Fields.Where(f => f.Number is not (GraphNode or GraphName or GraphInitializer or GraphInput or GraphOutput or GraphValueInfo)))
            rewritten.Fields.Add(f);

        var result = new ProtoMessage();
        foreach (var f in model.Fields)
            result.Fields.Add(f.Number == ModelGraph ? new ProtoField(ModelGraph, ProtoMessage.LengthDelimited, 0, rewritten.ToBytes()) : f);
        return result.ToBytes();
    }

    /// <summary>
    /// One graph out of an exported trees head and a kernel head: mos = clip(treeWeight · trees + kernelWeight · kernel).
    /// The kernel's names carry a <c>kernel_</c> prefix so they cannot meet ML.NET's.
    /// </summary>
    public static byte[] Blend(byte[] treesOnnx, string treesScore, KernelHead kernel, float treeWeight, float kernelWeight)
    {
        var model = ProtoMessage.Parse(treesOnnx);
        var graph = model.Message(ModelGraph) ?? throw new InvalidDataException("the exported ONNX model has no graph");
        var blended = new ProtoMessage();
        foreach (var f in graph.All(GraphNode).Where(f => ProtoMessage.Parse(f.Bytes).String(NodeName) is not ("mos_clip" or "mos_flatten")))
            blended.Fields.Add(f);
        var (nodes, initializers) = KernelOnnx.Graph(kernel, "kernel_", "kernel_score_float");
        foreach (var node in nodes) blended.AddMessage(GraphNode, node);
        blended.AddMessage(GraphNode, Node("blend_trees", "Mul", [treesScore, "blend_tree_weight"], ["blend_trees_part"]));
        blended.AddMessage(GraphNode, Node("blend_kernel", "Mul", ["kernel_score_float", "blend_kernel_weight"], ["blend_kernel_part"]));
        blended.AddMessage(GraphNode, Node("blend_sum", "Add", ["blend_trees_part", "blend_kernel_part"], ["blend_score"]));
        blended.AddMessage(GraphNode, Node("mos_clip", "Clip", ["blend_score", "mos_min", "mos_max"], ["mos_clipped"]));
        blended.AddMessage(GraphNode, Node("mos_flatten", "Reshape", ["mos_clipped", "mos_shape"], [OutputName]));
        foreach (var f in graph.Fields.Where(f => f.Number != GraphNode)) blended.Fields.Add(f);
        foreach (var initializer in initializers) blended.AddMessage(GraphInitializer, initializer);
        blended.AddMessage(GraphInitializer, FloatScalar("blend_tree_weight", treeWeight));
        blended.AddMessage(GraphInitializer, FloatScalar("blend_kernel_weight", kernelWeight));

        var result = new ProtoMessage();
        foreach (var f in model.Fields)
            result.Fields.Add(f.Number == ModelGraph ? new ProtoField(ModelGraph, ProtoMessage.LengthDelimited, 0, blended.ToBytes()) : f);
        return result.ToBytes();
    }

    private static ProtoMessage Rename(ProtoMessage node, string from, string to)
    {
        var renamed = new ProtoMessage();
        foreach (var f in node.Fields)
            renamed.Fields.Add(f.Number == NodeInput && Encoding.UTF8.GetString(f.Bytes) == from
                ? f with { Bytes = Encoding.UTF8.GetBytes(to) }
                : f);
        return renamed;
    }

    internal static ProtoMessage Node(string name, string opType, string[] inputs, string[] outputs)
    {
        var node = new ProtoMessage();
        foreach (var i in inputs) node.AddString(NodeInput, i);
        foreach (var o in outputs) node.AddString(NodeOutput, o);
        return node.AddString(NodeName, name).AddString(NodeOpType, opType);
    }

    internal static ProtoMessage FloatScalar(string name, float value)
    {
        var raw = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(raw, value);
        return new ProtoMessage().AddVarint(TensorDataType, TensorFloat).AddString(TensorName, name).AddBytes(TensorRawData, raw);
    }

    internal static ProtoMessage Int64Vector(string name, long[] values)
    {
        var raw = new byte[8 * values.Length];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), values[i]);
        return new ProtoMessage().AddVarint(TensorDims, (ulong)values.Length).AddVarint(TensorDataType, TensorInt64)
            .AddString(TensorName, name).AddBytes(TensorRawData, raw);
    }

    /// <summary>A float32 tensor's ValueInfoProto; a null dimension is the symbolic batch size N.</summary>
    internal static ProtoMessage TensorInfo(string name, int?[] dims)
    {
        var shape = new ProtoMessage();
        foreach (var d in dims)
            shape.AddMessage(1, d is { } size ? new ProtoMessage().AddVarint(1, (ulong)size) : new ProtoMessage().AddString(2, "N"));
        var tensor = new ProtoMessage().AddVarint(1, TensorFloat).AddMessage(2, shape);
        return new ProtoMessage().AddString(1, name).AddMessage(2, new ProtoMessage().AddMessage(1, tensor));
    }
}
