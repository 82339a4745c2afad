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
}
