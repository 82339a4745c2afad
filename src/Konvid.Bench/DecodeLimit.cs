using System.Globalization;

namespace Konvid.Bench;

/// <summary>
/// The decode limit: <c>ffmpeg -threads 1 -i clip -f null -</c>, <paramref name="jobs"/> clips at a time, which is what
/// a Features run that did nothing but decode would cost.
/// </summary>
internal static class DecodeLimit
{
    public static Task RunAsync(IReadOnlyList<string> clips, int jobs, CancellationToken ct) =>
        Parallel.ForEachAsync(clips, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = ct }, async (clip, c) =>
            await BenchTool.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-threads", "1", "-i", clip, "-f", "null", "-"], c));

    public static string Command(int jobs) => string.Create(CultureInfo.InvariantCulture, $"ffmpeg -threads 1 -f null, {jobs} at a time");
}
