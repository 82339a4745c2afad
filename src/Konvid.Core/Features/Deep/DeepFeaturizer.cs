using System.Globalization;
using Konvid.Core.Probe;
using Konvid.Core.Workspace;
using Microsoft.ML.OnnxRuntime;

namespace Konvid.Core.Features.Deep;

/// <summary>
/// CNN features: one ResNet18 session (the CNTK model that the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18
/// ships, with its ResNetPreprocess.onnx reproduced by <see cref="ResNetPreprocess"/>) shared by all clips; each clip's
/// analyzer embeds its sampled frames into 512 numbers and pools them to <c>cnn_mean_NNN</c> and <c>cnn_std_NNN</c>.
/// Runs from several threads at once are safe (ONNX Runtime sessions are).
/// </summary>
public sealed class DeepFeaturizer : IFrameAnalyzerFactory, IDisposable
{
    public const int InputSize = 224;
    public const int EmbeddingSize = 512;
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string CpuProvider = "CPUExecutionProvider";

    /// <summary>Which CNN weights the features come from: the package that ships them, at the version Directory.Packages.props pins.</summary>
    public const string WeightsId = "Microsoft.ML.DnnImageFeaturizer.ResNet18/0.23.1";

    /// <summary>The weights as a file-name part of the feature cache, so entries of other weights are never served.</summary>
    public const string WeightsTag = "resnet18-0.23.1";

    /// <summary>cnn_mean_000..cnn_mean_511 then cnn_std_000..cnn_std_511.</summary>
    public static readonly IReadOnlyList<string> FeatureNames =
    [
        .. Enumerable.Range(0, EmbeddingSize).Select(i => "cnn_mean_" + i.ToString("D3", CultureInfo.InvariantCulture)),
        .. Enumerable.Range(0, EmbeddingSize).Select(i => "cnn_std_" + i.ToString("D3", CultureInfo.InvariantCulture)),
    ];

    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private static readonly long[] InputShape = [1, 3, InputSize, InputSize];
    private static readonly long[] OutputShape = [1, EmbeddingSize, 1, 1];

    /// <summary>The ONNX Runtime execution provider that runs the network: <see cref="CudaProvider"/> or <see cref="CpuProvider"/>.</summary>
    public string ExecutionProvider { get; }

    public DeepOptions Options { get; }

    internal ResNetPreprocess Preprocess { get; }

    private DeepFeaturizer(InferenceSession session, SessionOptions sessionOptions, string provider, ResNetPreprocess preprocess, DeepOptions options)
    {
        _session = session;
        _sessionOptions = sessionOptions;
        _inputNames = [.. session.InputNames];
        _outputNames = [.. session.OutputNames];
        ExecutionProvider = provider;
        Preprocess = preprocess;
        Options = options;
    }

    public static DeepFeaturizer Create(DeviceKind device, IProgressReporter progress) => Create(device, progress, DeepOptions.Default);

    public static DeepFeaturizer Create(DeviceKind device, IProgressReporter progress, DeepOptions options)
    {
        var models = options.ModelsDirectory ?? Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
        var network = Path.Combine(models, "ResNet18Onnx", "ResNet18.onnx");
        var preprocessModel = Path.Combine(models, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        foreach (var path in new[] { network, preprocessModel })
        {
            if (!File.Exists(path))
                throw new KonvidException($"CNN features: model {path} is missing",
                    "rebuild Konvid (the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 copies DnnImageModels/ next to the binaries) or run with --deep-features false");
        }

        OrtNativeLog.EnsureEnvironment();
        var preprocess = ResNetPreprocess.Load(preprocessModel, InputSize);
        var (session, sessionOptions, provider) = Open(network, device, Math.Max(1, options.IntraOpThreads), progress);
        try
        {
            CheckShapes(session, network);
        }
        catch
        {
            session.Dispose();
            sessionOptions.Dispose();
            throw;
        }

        return new DeepFeaturizer(session, sessionOptions, provider, preprocess, options);
    }

    public IFrameAnalyzer Create(ProbeResult clip) => new DeepClipAnalyzer(this, Options.EffectiveSampling.Plan(clip), clip.Src);

    /// <summary>One network run: <paramref name="input"/> is the preprocessed 1x3x224x224 tensor, <paramref name="embedding"/> receives 512 values.</summary>
    internal void Embed(float[] input, float[] embedding)
    {
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, InputShape);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(embedding, OutputShape);
        using var runOptions = new RunOptions();
        _session.Run(runOptions, _inputNames, [inputValue], _outputNames, [outputValue]);
    }

    public void Dispose()
    {
        _session.Dispose();
        _sessionOptions.Dispose();
    }

    private static (InferenceSession, SessionOptions, string) Open(string network, DeviceKind device, int threads, IProgressReporter progress)
    {
        if (device != DeviceKind.Cpu)
        {
            var cudaOptions = CpuOptions(threads);
            try
            {
                OrtNativeLog.TakeLastError();
                cudaOptions.AppendExecutionProvider_CUDA(0);
                return (new InferenceSession(network, cudaOptions), cudaOptions, CudaProvider);
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                cudaOptions.Dispose();
                var reason = CudaFailureReason(OrtNativeLog.TakeLastError(), e.Message);
                if (device == DeviceKind.Cuda)
                    throw new KonvidException($"--device cuda: CUDA execution provider could not load ({reason})", "use --device cpu or auto", e);
                progress.Info($"--device auto: CUDA execution provider could not load ({reason}); CNN features run on CPU");
            }
        }

        var cpuOptions = CpuOptions(threads);
        try
        {
            return (new InferenceSession(network, cpuOptions), cpuOptions, CpuProvider);
        }
        catch
        {
            cpuOptions.Dispose();
            throw;
        }
    }

    // A fixed intra-op thread count (and sequential execution) makes CPU results bit-identical from run to run.
    private static SessionOptions CpuOptions(int threads) => new()
    {
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>The useful tail of ORT's message ("libcublasLt.so.13: cannot open shared object file: ..."), on one line.</summary>
    internal static string CudaFailureReason(string? nativeLog, string exceptionMessage)
    {
        var text = nativeLog ?? exceptionMessage;
        foreach (var marker in new[] { " with error: ", "FAIL : ", "] " })
        {
            var at = text.LastIndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                text = text[(at + marker.Length)..];
                break;
            }
        }

        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static void CheckShapes(InferenceSession session, string path)
    {
        var input = session.InputMetadata.Values.Single().Dimensions;
        var output = session.OutputMetadata.Values.Single().Dimensions;
        if (!input.SequenceEqual([1, 3, InputSize, InputSize]) || !output.SequenceEqual([1, EmbeddingSize, 1, 1]))
            throw new KonvidException(
                $"CNN features: {path} takes [{string.Join(',', input)}] and gives [{string.Join(',', output)}], expected [1,3,{InputSize},{InputSize}] -> [1,{EmbeddingSize},1,1]",
                "restore the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1");
    }
}
