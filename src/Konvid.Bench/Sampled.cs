namespace Konvid.Bench;

/// <summary>
/// The timed runs of one measurement: wall seconds, CPU seconds (this process and its ffmpeg/ffprobe children),
/// and, when watched, the most resident memory a run added over the process's baseline (<see cref="PeakRss"/>).
/// </summary>
public sealed record Sampled(Timing Wall, Timing Cpu, double? PeakRssMb)
{
    /// <summary>
    /// Runs <paramref name="setup"/> (untimed) then <paramref name="body"/> (timed) once as a warm-up, then
    /// <paramref name="runs"/> more times; only the latter are kept. <paramref name="watchMemory"/> resets the
    /// process's peak RSS before each timed run.
    /// </summary>
    public static async Task<Sampled> RunAsync(int runs, Func<CancellationToken, Task>? setup, Func<CancellationToken, Task> body,
        CancellationToken ct, bool watchMemory = false, bool warmUp = true)
    {
        if (warmUp)
        {
            if (setup is not null) await setup(ct);
            await body(ct);
        }
        var wall = new List<double>();
        var cpu = new List<double>();
        double? peak = null;
        for (var i = 0; i < runs; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (setup is not null) await setup(ct);
            var baseline = watchMemory ? PeakRss.Reset() : null;
            var cpuBefore = CpuClock.Now();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await body(ct);
            wall.Add(clock.Elapsed.TotalSeconds);
            cpu.Add(Math.Max(0, (CpuClock.Now() - cpuBefore).TotalSeconds));
            if (baseline is { } before && PeakRss.ReadMb() is { } mb) peak = Math.Max(peak ?? 0, mb - before);
        }
        return new Sampled(new Timing(wall), new Timing(cpu), peak);
    }
}
