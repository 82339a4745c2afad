using Konvid.Core.Probe;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>A corpus folder for the in-process media benchmarks: the given clips under clips/ and their manifest (Verify on main).</summary>
internal static class MediaCorpus
{
    public static async Task<CorpusLayout> EnsureAsync(string workDir, string name, IReadOnlyList<string> clips, int jobs, CancellationToken ct)
    {
        var layout = new CorpusLayout(workDir, name);
        var names = clips.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(layout.Clips) && !Directory.EnumerateFiles(layout.Clips).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal).SetEquals(names))
            BenchContext.Clear(layout.Root);
        Directory.CreateDirectory(layout.Clips);
        foreach (var clip in clips)
        {
            var target = Path.Combine(layout.Clips, Path.GetFileName(clip));
            if (!File.Exists(target)) File.Copy(clip, target);
        }
        await Verifier.RunAsync(layout, new VerifyOptions { Jobs = jobs }, NullProgress.Instance, ct);
        return layout;
    }

    /// <summary>
    /// KonViD-150k-shaped 540p clips (2 per job, 1 s each in --quick) in a fresh corpus under <paramref name="folder"/>,
    /// verified and probed afresh, so a stage's benchmark starts where that stage starts.
    /// </summary>
    public static async Task<ProbedClips> ProbedAsync(BenchContext context, string folder, CancellationToken ct)
    {
        var seconds = context.Options.Quick ? 1 : ScaleEstimate.Seconds;
        var count = context.Options.Quick ? context.Jobs : 2 * context.Jobs;
        var clips = await BenchClips.EnsureAsync(context.Folder("clips-540p"), count, ScaleEstimate.Width, ScaleEstimate.Height, seconds,
            (int)ScaleEstimate.FramesPerSecond, context.Jobs, context.Progress, ct);
        var layout = await EnsureAsync(context.Folder(folder), "corpus", clips, context.Jobs, ct);
        foreach (var file in ProbeStore.Files(layout)) File.Delete(file);
        await Prober.RunAsync(layout, new ProbeOptions(context.Jobs, Shard.All), NullProgress.Instance, ct);
        return new ProbedClips(clips, layout, seconds);
    }
}

/// <summary>The clips of a media benchmark, their probed corpus and each clip's length in seconds.</summary>
internal sealed record ProbedClips(IReadOnlyList<string> Clips, CorpusLayout Layout, double Seconds);
