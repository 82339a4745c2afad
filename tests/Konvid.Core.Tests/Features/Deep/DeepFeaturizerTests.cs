using System.Runtime.InteropServices;
using System.Text.Json;
using Konvid.Core.Features;
using Konvid.Core.Features.Deep;
using Konvid.Core.Probe;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Features.Deep;

public sealed class DeepFeaturizerTests(CpuFeaturizerFixture fixture) : IClassFixture<CpuFeaturizerFixture>
{
    private const int Size = DeepFeaturizer.InputSize;

    private static ProbeResult Probe(DecodedFrames decoded, double fps, long? frameCount = null) =>
        new("clip.mp4", new string('b', 64), 1000, decoded.Width, decoded.Height, fps, decoded.Frames.Count / fps, "yuv420p", "h264",
            frameCount ?? decoded.Frames.Count);

    private static SortedDictionary<string, double> Analyze(DeepFeaturizer featurizer, ProbeResult clip, IEnumerable<Yuv420Frame> frames)
    {
        var analyzer = featurizer.Create(clip);
        foreach (var frame in frames) analyzer.Add(frame);
        var features = new SortedDictionary<string, double>();
        analyzer.Finish(features);
        return features;
    }

    private float[] Embed(DecodedFrames decoded, int index)
    {
        var input = new float[3 * Size * Size];
        fixture.Featurizer.Preprocess.Apply(FrameToRgbTests.Convert(decoded, index), input);
        var embedding = new float[DeepFeaturizer.EmbeddingSize];
        fixture.Featurizer.Embed(input, embedding);
        return embedding;
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());

    [Fact]
    public async Task Loads_ResNet18_on_cpu_and_embeds_a_frame_into_512_non_trivial_numbers()
    {
        using var dir = new TempDir();
        var decoded = await DeepFrames.LavfiAsync(dir, 320, 240, 10, 0.1, "testsrc2=size=320x240:rate=10");

        var embedding = Embed(decoded, 0);

        Assert.Equal(DeepFeaturizer.CpuProvider, fixture.Featurizer.ExecutionProvider);
        Assert.Equal(512, embedding.Length);
        Assert.All(embedding, v => Assert.True(float.IsFinite(v) && v >= 0, $"{v}")); // average-pooled ReLU outputs
        Assert.True(embedding.Count(v => v > 0) > 100, "most channels respond to a real image");
    }

    [Fact]
    public async Task Pools_the_sampled_frames_into_512_means_and_512_population_standard_deviations()
    {
        using var dir = new TempDir();
        var decoded = await DeepFrames.LavfiAsync(dir, 320, 240, 10, 2, "testsrc2=size=320x240:rate=10");
        var clip = Probe(decoded, 10);

        var features = Analyze(fixture.Featurizer, clip, decoded.Frames);

        Assert.Equal(DeepFeaturizer.FeatureNames.Order(StringComparer.Ordinal), features.Keys);
        Assert.Equal("cnn_mean_000", features.Keys.First());
        Assert.Equal("cnn_std_511", features.Keys.Last());
        var plan = FrameSampling.Default.Plan(clip);
        Assert.Equal([2, 7, 12, 17], plan);
        var embeddings = plan.Select(i => Embed(decoded, i)).ToArray();
        for (var d = 0; d < 512; d += 37)
        {
            var values = embeddings.Select(e => (double)e[d]).ToArray();
            var mean = values.Average();
            var populationStd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            Assert.Equal(mean, features[$"cnn_mean_{d:D3}"], 12);
            Assert.Equal(populationStd, features[$"cnn_std_{d:D3}"], 12);
        }

        Assert.Contains(features, kv => kv.Key.StartsWith("cnn_std_", StringComparison.Ordinal) && kv.Value > 0); // testsrc2 moves
    }

    [Fact]
    public async Task Gives_the_same_feature_bytes_twice_on_cpu_also_from_parallel_callers()
    {
        using var dir = new TempDir();
        var decoded = await DeepFrames.LavfiAsync(dir, 320, 240, 10, 2, "testsrc2=size=320x240:rate=10");
        var clip = Probe(decoded, 10);

        var first = JsonSerializer.SerializeToUtf8Bytes(Analyze(fixture.Featurizer, clip, decoded.Frames));
        using var another = DeepFeaturizer.Create(DeviceKind.Cpu, NullProgress.Instance);
        var parallel = await Task.WhenAll(
            Task.Run(() => JsonSerializer.SerializeToUtf8Bytes(Analyze(another, clip, decoded.Frames))),
            Task.Run(() => JsonSerializer.SerializeToUtf8Bytes(Analyze(fixture.Featurizer, clip, decoded.Frames))));

        Assert.Equal(first, parallel[0]);
        Assert.Equal(first, parallel[1]);
    }

    [Fact]
    public async Task A_blurred_frame_lies_further_from_its_sharp_original_than_the_next_sharp_frame()
    {
        using var dir = new TempDir();
        var sharp = await DeepFrames.LavfiAsync(dir, 320, 240, 10, 0.3, "testsrc2=size=320x240:rate=10");
        var blurred = await DeepFrames.LavfiAsync(dir, 320, 240, 10, 0.3, "testsrc2=size=320x240:rate=10", "gblur=sigma=6");
        var other = await DeepFrames.LavfiAsync(dir, 320, 240, 10, 0.3, "mandelbrot=size=320x240:rate=10");

        var original = Embed(sharp, 1);
        var nextFrame = Distance(original, Embed(sharp, 2));
        var blur = Distance(original, Embed(blurred, 1));
        var otherScene = Distance(original, Embed(other, 1));

        Assert.Equal(0, Distance(original, Embed(sharp, 1)));
        Assert.True(blur > 2 * nextFrame, $"blurred {blur:F3} vs next frame {nextFrame:F3}");
        Assert.True(otherScene > 2 * nextFrame, $"other scene {otherScene:F3} vs next frame {nextFrame:F3}");
    }

    [Fact]
    public async Task Still_pools_the_frames_that_came_when_the_probe_overestimates_the_frame_count()
    {
        using var dir = new TempDir();
        var decoded = await DeepFrames.LavfiAsync(dir, 160, 90, 10, 1, "testsrc2=size=160x90:rate=10");

        // Planned 25, 75, 125, 175 of a claimed 200 frames; only 10 arrive, so frame 0 stands in.
        var tenfold = Analyze(fixture.Featurizer, Probe(decoded, 10, frameCount: 200), decoded.Frames);
        // Planned 2, 7, 12, 17 of a claimed 20; frames 0..9 arrive, so 2 and 7 are pooled.
        var twofold = Analyze(fixture.Featurizer, Probe(decoded, 10, frameCount: 20), decoded.Frames);

        var first = Embed(decoded, 0);
        Assert.Equal(1024, tenfold.Count);
        Assert.Equal(first[5], tenfold["cnn_mean_005"], 6);
        Assert.All(tenfold.Where(kv => kv.Key.StartsWith("cnn_std_", StringComparison.Ordinal)), kv => Assert.Equal(0, kv.Value));
        var pooled = (Embed(decoded, 2)[9] + (double)Embed(decoded, 7)[9]) / 2;
        Assert.Equal(pooled, twofold["cnn_mean_009"], 6);
    }

    [Fact]
    public void Names_the_clip_when_no_frame_reached_the_analyzer()
    {
        var analyzer = fixture.Featurizer.Create(new ProbeResult("videos/empty.mp4", new string('c', 64), 10, 160, 90, 25, 1, "yuv420p", "h264", 25));

        var error = Assert.Throws<KonvidException>(() => analyzer.Finish(new SortedDictionary<string, double>()));

        Assert.Contains("videos/empty.mp4", error.Problem);
    }

    [Fact]
    public void Names_the_missing_model_file_in_one_line()
    {
        using var dir = new TempDir();

        var error = Assert.Throws<KonvidException>(() => DeepFeaturizer.Create(DeviceKind.Cpu, NullProgress.Instance, new DeepOptions(ModelsDirectory: dir.Path)));

        Assert.Contains(Path.Combine(dir.Path, "ResNet18Onnx", "ResNet18.onnx"), error.Problem);
        Assert.DoesNotContain('\n', error.Problem);
        Assert.NotNull(error.Hint);
    }

    // CUDA 13's runtime libraries are what the CUDA provider of ORT 1.31 links against; without them it cannot load.
    private static bool CudaLibrariesPresent() =>
        new[] { "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13" }.All(name =>
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) return false;
            NativeLibrary.Free(handle);
            return true;
        });

    [Fact]
    public void Device_cuda_fails_with_a_one_line_message_when_the_cuda_provider_cannot_load()
    {
        var progress = new DeepProgress();
        try
        {
            using var featurizer = DeepFeaturizer.Create(DeviceKind.Cuda, progress);
            Assert.True(CudaLibrariesPresent(), "CUDA loaded although its libraries are absent");
            Assert.Equal(DeepFeaturizer.CudaProvider, featurizer.ExecutionProvider);
        }
        catch (KonvidException error)
        {
            Assert.StartsWith("--device cuda: CUDA execution provider could not load (", error.Problem);
            Assert.EndsWith(")", error.Problem);
            Assert.DoesNotContain('\n', error.Problem);
            Assert.Equal("use --device cpu or auto", error.Hint);
            Assert.Equal($"{error.Problem}\n  -> {error.Hint}", error.Message);
        }

        Assert.Empty(progress.Infos); // cuda never falls back quietly
    }

    [Fact]
    public async Task Device_auto_falls_back_to_cpu_and_says_so_in_one_line()
    {
        var progress = new DeepProgress();

        using var featurizer = DeepFeaturizer.Create(DeviceKind.Auto, progress);

        if (CudaLibrariesPresent() && featurizer.ExecutionProvider == DeepFeaturizer.CudaProvider)
        {
            Assert.Empty(progress.Infos);
            return;
        }

        Assert.Equal(DeepFeaturizer.CpuProvider, featurizer.ExecutionProvider);
        var line = Assert.Single(progress.Infos);
        Assert.StartsWith("--device auto: CUDA execution provider could not load (", line);
        Assert.EndsWith("CNN features run on CPU", line);
        Assert.DoesNotContain('\n', line);
        Assert.Empty(progress.Warnings);

        // The fallback session is a working one and gives what the CPU session gives.
        using var dir = new TempDir();
        var decoded = await DeepFrames.LavfiAsync(dir, 160, 90, 10, 0.5, "testsrc2=size=160x90:rate=10");
        var clip = Probe(decoded, 10);
        Assert.Equal(Analyze(fixture.Featurizer, clip, decoded.Frames), Analyze(featurizer, clip, decoded.Frames));
    }

    [Fact]
    public void Reduces_ORT_s_native_cuda_load_error_to_the_missing_library()
    {
        const string native = "/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2043 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() " +
            "[ONNXRuntimeError] : 1 : FAIL : Failed to load library /app/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so with error: " +
            "libcublasLt.so.13: cannot open shared object file: No such file or directory\n";

        Assert.Equal("libcublasLt.so.13: cannot open shared object file: No such file or directory",
            DeepFeaturizer.CudaFailureReason(native, "ignored"));
        Assert.Equal("OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library",
            DeepFeaturizer.CudaFailureReason(null, "[ErrorCode:Fail] OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library"));
    }
}
