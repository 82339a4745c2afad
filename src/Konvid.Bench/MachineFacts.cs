using System.Globalization;
using System.Runtime.InteropServices;
using CliWrap;
using CliWrap.Buffered;

namespace Konvid.Bench;

/// <summary>The machine a bench ran on; the load average matters because the figures are only comparable within one run.</summary>
public sealed record MachineFacts(
    int Cores,
    string Cpu,
    double MemoryGiB,
    string Ffmpeg,
    string DotNet,
    string Os,
    DateTimeOffset Date,
    string LoadAtStart,
    string? LoadAtEnd = null)
{
    public static async Task<MachineFacts> ReadAsync(CancellationToken ct) => new(
        Environment.ProcessorCount,
        CpuModel(),
        MemTotalKiB() / (1024.0 * 1024.0),
        await FfmpegVersionAsync(ct),
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        DateTimeOffset.UtcNow,
        LoadAverage());

    /// <summary>/proc/loadavg's 1, 5 and 15 minute averages, e.g. "3.10 / 2.80 / 2.40".</summary>
    public static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path)) return "unknown";
        var fields = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 3 ? $"{fields[0]} / {fields[1]} / {fields[2]}" : "unknown";
    }

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return RuntimeInformation.ProcessArchitecture.ToString();
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }

    private static double MemTotalKiB()
    {
        const string path = "/proc/meminfo";
        if (!File.Exists(path)) return 0;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var digits = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return double.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib) ? kib : 0;
    }

    private static async Task<string> FfmpegVersionAsync(CancellationToken ct)
    {
        try
        {
            var result = await Cli.Wrap("ffmpeg").WithArguments(["-hide_banner", "-version"])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
            var first = result.StandardOutput.Split('\n')[0];
            var parts = first.Split(' ');
            return parts.Length >= 3 ? parts[2] : first.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }
}
