using System.Diagnostics;
using System.Globalization;

namespace Konvid.Bench;

/// <summary>
/// CPU seconds spent by this process and by its waited-for children (ffmpeg, ffprobe): unlike wall time on a machine
/// shared with others, this is the cost a clip really has, so per-frame costs for the extrapolation come from here.
/// </summary>
public readonly record struct CpuClock(double SelfSeconds, double ChildrenSeconds)
{
    // Linux reports /proc times in USER_HZ, which is 100 on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public double TotalSeconds => SelfSeconds + ChildrenSeconds;

    public static CpuClock Now()
    {
        using var self = Process.GetCurrentProcess();
        return new CpuClock(self.TotalProcessorTime.TotalSeconds, ChildrenTicks() / TicksPerSecond);
    }

    public static CpuClock operator -(CpuClock after, CpuClock before) =>
        new(after.SelfSeconds - before.SelfSeconds, after.ChildrenSeconds - before.ChildrenSeconds);

    /// <summary>cutime + cstime of /proc/self/stat (fields 16 and 17, counted after the parenthesised command name).</summary>
    private static double ChildrenTicks()
    {
        const string path = "/proc/self/stat";
        if (!File.Exists(path)) return 0;
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        return double.Parse(fields[13], CultureInfo.InvariantCulture) + double.Parse(fields[14], CultureInfo.InvariantCulture);
    }
}
