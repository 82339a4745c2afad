using System.Globalization;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// H.264 clips made with ffmpeg's lavfi sources for the media benchmarks: varied content (so no clip decodes
/// unusually fast), made once per geometry and reused. A clip appears only under its final name (temp + rename).
/// </summary>
internal static class BenchClips
{
    private static readonly string[] Sources =
    [
        "testsrc2=size={0}x{1}:rate={2}",
        "mandelbrot=size={0}x{1}:rate={2}",
        "life=size={0}x{1}:rate={2}:mold=10:ratio=0.4",
        "cellauto=size={0}x{1}:rate={2}:rule=110",
        "smptehdbars=size={0}x{1}:rate={2},noise=alls=30:allf=t",
        "gradients=size={0}x{1}:rate={2}:speed=0.05",
    ];

    public static async Task<IReadOnlyList<string>> EnsureAsync(string dir, int count, int width, int height, double seconds, int fps, int jobs,
        IProgressReporter progress, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        var paths = Enumerable.Range(0, count)
            .Select(i => Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"bench_{width}x{height}_{seconds:0.##}s_{i:D4}.mp4")))
            .ToList();
        var missing = paths.Select((p, i) => (Path: p, Index: i)).Where(p => !File.Exists(p.Path)).ToList();
        if (missing.Count == 0) return paths;
        using var task = progress.Start($"Bench clips {width}x{height}", missing.Count, "clips");
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = ct }, async (clip, c) =>
        {
            var source = string.Format(CultureInfo.InvariantCulture, Sources[clip.Index % Sources.Length], width, height, fps);
            var temp = Path.Combine(dir, $".{Path.GetFileName(clip.Path)}.{Guid.NewGuid():N}.tmp.mp4");
            try
            {
                // A different seed of noise per clip keeps every file's bytes (and sha256) distinct.
                await BenchTool.RunAsync("ffmpeg", ["-y", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", source,
                    "-t", seconds.ToString(CultureInfo.InvariantCulture), "-vf", $"noise=alls={4 + clip.Index % 7}:allf=t,format=yuv420p",
                    "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-g", fps.ToString(CultureInfo.InvariantCulture),
                    "-metadata", $"comment=bench clip {clip.Index}", temp], c);
                File.Move(temp, clip.Path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
            task.Advance();
        });
        return paths;
    }
}
