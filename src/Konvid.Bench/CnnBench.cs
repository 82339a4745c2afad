using Konvid.Core.Features;
using Konvid.Core.Features.Deep;
using Konvid.Core.Probe;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// The CNN half of deep features on its own: KonViD-150k-shaped clips (960x540, 5 s at 25 fps, so 5 sampled frames
/// each under the default sampling) fed to the ResNet18 analyzer from memory, <c>--jobs</c> clips at once with one
/// ONNX Runtime thread each, as the Features stage runs them. Decoding is left out on purpose: the decode-only row
/// and the Features rows measure it. GPU too when the CUDA provider loads.
/// </summary>
internal static class CnnBench
{
    public const string CostKey = "cnn";

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var clips = context.Options.Quick ? context.Jobs : 4 * context.Jobs;
        var probe = new ProbeResult("bench-540p.mp4", new string('0', 64), 0, ScaleEstimate.Width, ScaleEstimate.Height,
            ScaleEstimate.FramesPerSecond, ScaleEstimate.Seconds, "yuv420p", "h264", (long)ScaleEstimate.FramesPerClip);
        var sampled = FrameSampling.Default.Plan(probe).Length;
        var pixels = new byte[Yuv420Frame.BufferSize(ScaleEstimate.Width, ScaleEstimate.Height)];
        new Random(3).NextBytes(pixels);

        using (var cpu = DeepFeaturizer.Create(DeviceKind.Cpu, context.Progress))
        {
            var run = await Sampled.RunAsync(context.Runs, null, c => EmbedAsync(cpu, probe, pixels, clips, context.Jobs, c), ct);
            var perClip = run.Cpu.Median / clips;
            context.Log.CoreSecondsPer540pClip[CostKey] = perClip;
            context.Log.Rows.Add(new BenchRow($"CNN features on CPU, {clips} clips of 960x540 ({sampled} sampled frames each), --jobs {context.Jobs}",
                null, new Measured("ResNet18 (CPU)", run.Wall, clips * sampled, "frames"), null,
                $"{BenchFormat.Number(clips / run.Wall.Median)} clips/s; {BenchFormat.Number(perClip)} CPU s per clip, "
                + $"{BenchFormat.Number(perClip / sampled)} CPU s per sampled frame (YUV to RGB, resize, ResNet18); decoding excluded"));
        }

        using var auto = DeepFeaturizer.Create(DeviceKind.Auto, NullProgress.Instance);
        if (auto.ExecutionProvider != DeepFeaturizer.CudaProvider)
        {
            context.Log.Omitted.Add(new Omission("CNN features on GPU", "no GPU on this machine (the CUDA execution provider did not load)"));
            return;
        }
        var gpuClips = clips * 4;
        var gpu = await Sampled.RunAsync(context.Runs, null, c => EmbedAsync(auto, probe, pixels, gpuClips, context.Jobs, c), ct);
        context.Log.Rows.Add(new BenchRow($"CNN features on GPU, {gpuClips} clips of 960x540 ({sampled} sampled frames each), --jobs {context.Jobs}",
            null, new Measured("ResNet18 (CUDA)", gpu.Wall, gpuClips * sampled, "frames"), null,
            $"{BenchFormat.Number(gpuClips / gpu.Wall.Median)} clips/s; decoding excluded"));
    }

    private static Task EmbedAsync(DeepFeaturizer featurizer, ProbeResult probe, byte[] pixels, int clips, int jobs, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, clips), new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = ct }, (_, c) =>
        {
            var analyzer = featurizer.Create(probe);
            int ySize = probe.Width * probe.Height, cSize = (probe.Width + 1) / 2 * ((probe.Height + 1) / 2);
            var memory = pixels.AsMemory();
            for (var i = 0; i < ScaleEstimate.FramesPerClip; i++)
            {
                c.ThrowIfCancellationRequested();
                analyzer.Add(new Yuv420Frame(i, i / ScaleEstimate.FramesPerSecond, probe.Width, probe.Height,
                    memory[..ySize], memory.Slice(ySize, cSize), memory.Slice(ySize + cSize, cSize)));
            }
            analyzer.Finish(new SortedDictionary<string, double>(StringComparer.Ordinal));
            return ValueTask.CompletedTask;
        });
}
