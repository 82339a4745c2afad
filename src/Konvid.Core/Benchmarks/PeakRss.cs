namespace Konvid.Core.Benchmarks;

/// <summary>
/// Peak resident memory of this process while an action runs: the kernel's high-water mark (VmHWM) is reset through
/// /proc/self/clear_refs before the action (Linux 4.0+) and read after it. The figure is the whole bench process,
/// runtime and earlier benchmarks' retained heap included, so it is an upper bound on the stage's own need.
/// </summary>
public static class PeakRss
{
    public static bool Supported => File.Exists("/proc/self/status") && File.Exists("/proc/self/clear_refs");

    public static void Reset()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        if (Supported) File.WriteAllText("/proc/self/clear_refs", "5");
    }

    /// <summary>VmHWM in MB (10^6 bytes), null where /proc is missing.</summary>
    public static double? ReadMb() => ReadKiB("VmHWM:") is { } kib ? kib * 1024 / 1e6 : null;

    /// <summary>VmRSS now in MB: the baseline the peak started from.</summary>
    public static double? CurrentMb() => ReadKiB("VmRSS:") is { } kib ? kib * 1024 / 1e6 : null;

    private static double? ReadKiB(string key)
    {
        if (!File.Exists("/proc/self/status")) return null;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        var digits = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return double.TryParse(digits, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var kib) ? kib : null;
    }
}
