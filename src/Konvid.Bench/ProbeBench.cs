using Konvid.Core.Probe;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// Probe against the reference's way: one <c>ffprobe -show_streams -show_format -of json</c> per clip, serially. The
/// probe store is removed before each run so every clip is probed again.
/// </summary>
internal static class ProbeBench
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var count = context.Options.Quick ? 8 : 48;
        var clips = await BenchClips.EnsureAsync(context.Folder("clips-small"), count, 480, 270, 2, 25, context.Jobs, context.Progress, ct);
        var layout = await MediaCorpus.EnsureAsync(context.Folder("probe"), "corpus", clips, context.Jobs, ct);

        var serial = await Sampled.RunAsync(context.Runs, null, async c =>
        {
            foreach (var clip in clips) await BenchTool.RunAsync("ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", clip], c);
        }, ct);
        var fastPath = 0;
        var ours = await Sampled.RunAsync(context.Runs, _ => { ClearProbes(layout); return Task.CompletedTask; }, async c =>
        {
            var report = await Prober.RunAsync(layout, new ProbeOptions(context.Jobs, Shard.All), NullProgress.Instance, c);
            if (report.Probed != count || report.Failed != 0)
                throw new KonvidException($"Bench: Probe probed {report.Probed} of {count} clips ({report.Failed} failed)", "the Probe benchmark is broken: every clip must be probed on each run");
            fastPath = report.FastPath;
        }, ct);
        context.Log.Rows.Add(new BenchRow($"Probe vs one ffprobe per clip serially, {count} clips, --jobs {context.Jobs}",
            new Measured("ffprobe, serially", serial.Wall, count, "clips"),
            new Measured("Probe", ours.Wall, count, "clips"),
            new RatioAtLeast(5),
            $"{fastPath} of {count} clips read from their MP4 boxes in-process (Probe's fast path), the rest by ffprobe"));
    }

    private static void ClearProbes(CorpusLayout layout)
    {
        foreach (var file in Directory.EnumerateFiles(layout.Root, "probe*.jsonl")) File.Delete(file);
    }
}
