namespace Konvid.Bench;

/// <summary>
/// The memory a stage run needs, measured in the bench process: after an aggressive full GC (free heap decommitted) the kernel's high-water mark (VmHWM)
/// is reset through /proc/self/clear_refs (Linux 4.0+) and the resident size noted as the baseline; after the run
/// the peak minus that baseline is what the run added. The runtime, loaded libraries and the heap other benchmarks
/// left behind are in the baseline, so they do not count against the stage.
/// </summary>
public static class PeakRss
{
    public static bool Supported => File.Exists("/proc/self/status") && File.Exists("/proc/self/clear_refs");

    /// <summary>Resets the high-water mark and returns the baseline it starts from (MB), null where /proc is missing.</summary>
    public static double? Reset()
    {
        // Aggressive decommits the free heap, so pages the run needs must become resident again and count in its peak.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        if (!Supported) return null;
        File.WriteAllText("/proc/self/clear_refs", "5");
        return CurrentMb();
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
