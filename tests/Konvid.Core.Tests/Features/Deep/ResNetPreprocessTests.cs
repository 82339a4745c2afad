using Konvid.Core.Features.Deep;
using Konvid.Core.Tests.Support;
using Konvid.Testing;
using Microsoft.ML.OnnxRuntime;

namespace Konvid.Core.Tests.Features.Deep;

public sealed class ResNetPreprocessTests(CpuFeaturizerFixture fixture) : IClassFixture<CpuFeaturizerFixture>
{
    private const int Size = DeepFeaturizer.InputSize;

    [Fact]
    public async Task Reproduces_ResNetPreprocess_onnx_bit_for_bit_on_a_real_frame()
    {
        using var dir = new TempDir();
        var decoded = await DeepFrames.LavfiAsync(dir, 320, 240, 10, 0.2, "testsrc2=size=320x240:rate=10");
        var rgb = FrameToRgbTests.Convert(decoded, 1);

        var ours = new float[3 * Size * Size];
        fixture.Featurizer.Preprocess.Apply(rgb, ours);

        // The shipped model takes planar RGB floats 0..255, as ML.NET's pixel extractor gives it.
        var planar = rgb.Select(b => (float)b).ToArray();
        var path = Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(planar, [1, 3, Size, Size]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], session.OutputNames);
        var theirs = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(theirs.Select(BitConverter.SingleToInt32Bits), ours.Select(BitConverter.SingleToInt32Bits));
        // And it is not a no-op: channels are swapped to BGR and the ImageNet mean is gone.
        Assert.NotEqual(planar, ours);
    }
}
