using Microsoft.ML.OnnxRuntime;

namespace Konvid.Core.Features.Deep;

/// <summary>
/// What ResNetPreprocess.onnx does, reproduced on the way into the network's input buffer: its graph splits the RGB
/// input (pixel values 0..255) into R, G, B, concatenates them as B, G, R and subtracts a 3x224x224 mean image (the
/// CNTK ImageNet mean, about 103/116/123 for B/G/R; no division by a standard deviation). The mean image is read from
/// the shipped model itself, by running it once on zeros (0 - m is exact), so the two cannot drift apart; a test proves
/// the result equal, bit for bit, to running the model.
/// </summary>
internal sealed class ResNetPreprocess
{
    private readonly float[] _meanBgr;

    public int Size { get; }

    private ResNetPreprocess(float[] meanBgr, int size)
    {
        _meanBgr = meanBgr;
        Size = size;
    }

    public static ResNetPreprocess Load(string modelPath, int size)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        var zeros = new float[3 * size * size];
        using var input = OrtValue.CreateTensorValueFromMemory(zeros, [1, 3, size, size]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], session.OutputNames);
        var negated = outputs[0].GetTensorDataAsSpan<float>();
        var mean = new float[negated.Length];
        for (var i = 0; i < mean.Length; i++) mean[i] = -negated[i];
        return new ResNetPreprocess(mean, size);
    }

    /// <summary>Planar RGB bytes (R, G, B planes) to the network input: planar B, G, R floats minus the mean image.</summary>
    public void Apply(ReadOnlySpan<byte> rgbPlanar, Span<float> input)
    {
        var pixels = Size * Size;
        for (var c = 0; c < 3; c++)
        {
            var source = rgbPlanar.Slice((2 - c) * pixels, pixels);
            var mean = _meanBgr.AsSpan(c * pixels, pixels);
            var target = input.Slice(c * pixels, pixels);
            for (var i = 0; i < pixels; i++) target[i] = source[i] - mean[i];
        }
    }
}
