using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Workspace;

namespace Konvid.Core.Corpora;

/// <summary>The ffmpeg runs behind the sample corpus: render a scene, distort and encode a variant, measure SSIM.</summary>
internal static partial class SampleFfmpeg
{
    // One thread per process and bit-exact muxing: the same bytes on every run; parallelism comes from running
    // several processes.
    private static readonly string[] Common = ["-nostdin", "-y", "-hide_banner", "-nostats", "-filter_threads", "1"];
    private static readonly string[] Exact = ["-threads", "1", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-an"];

    /// <summary>
    /// The undistorted scene as raw y4m: the SSIM reference and the input of every variant. Raw costs nothing to
    /// decode, and its fixed frame rate keeps timestamps exact (a millisecond container such as Matroska shifts
    /// frames at 24 fps enough for the ssim filter to pair the wrong ones).
    /// </summary>
    public static Task RenderSceneAsync(SampleScene scene, SampleGeometry g, string output, CancellationToken ct) =>
        RunAsync([.. Common, "-loglevel", "error", "-f", "lavfi", "-i", scene.Graph(g), "-t", g.Duration,
            "-f", "yuv4mpegpipe", "-pix_fmt", "yuv420p", .. Exact, output], $"scene {scene.Name}", ct);

    public static Task EncodeVariantAsync(string reference, SampleVariant variant, SampleGeometry g, string output, string what, CancellationToken ct)
    {
        string[] filter = variant.Filter is { } f ? ["-vf", f(g)] : [];
        return RunAsync([.. Common, "-loglevel", "error", "-i", reference, .. filter, "-pix_fmt", "yuv420p",
            "-c:v", "libx264", "-preset", SampleVariants.Preset, "-crf", variant.Crf.ToString(CultureInfo.InvariantCulture),
            .. Exact, "-movflags", "+faststart", output], what, ct);
    }

    /// <summary>ffmpeg's ssim filter over all frames of <paramref name="distorted"/> against <paramref name="reference"/>: the "All:" value.</summary>
    public static async Task<double> SsimAsync(string distorted, string reference, string what, CancellationToken ct)
    {
        var stderr = await RunAsync([.. Common, "-loglevel", "info", "-i", distorted, "-i", reference,
            "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"], what, ct);
        return ParseSsim(stderr)?.All
            ?? throw new KonvidException($"sample corpus: {what}: ffmpeg printed no SSIM summary", "check that this ffmpeg has the ssim filter (ffmpeg -filters)");
    }

    /// <summary>The summary line of the ssim filter: "SSIM Y:0.92 (11.0) U:... V:... All:0.906275 (10.281459)".</summary>
    public static (double All, double Db)? ParseSsim(string stderr)
    {
        var m = SsimSummary().Match(stderr);
        if (!m.Success) return null;
        var all = double.Parse(m.Groups["all"].Value, CultureInfo.InvariantCulture);
        var db = m.Groups["db"].Value == "inf" ? double.PositiveInfinity : double.Parse(m.Groups["db"].Value, CultureInfo.InvariantCulture);
        return (all, db);
    }

    [GeneratedRegex(@"SSIM Y:.*All:(?<all>[0-9.]+) \((?<db>inf|[0-9.]+)\)")]
    private static partial Regex SsimSummary();

    private static async Task<string> RunAsync(string[] args, string what, CancellationToken ct)
    {
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap("ffmpeg").WithArguments(args).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        }
        catch (Win32Exception e)
        {
            throw new KonvidException($"sample corpus: cannot start ffmpeg ({e.Message})", "install ffmpeg 5.1 or later with libx264 and put it on PATH", e);
        }
        if (result.ExitCode != 0)
        {
            var last = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            throw new KonvidException($"sample corpus: ffmpeg failed on {what} (exit {result.ExitCode}): {last}",
                "check that this ffmpeg (5.1 or later) has libx264 and the lavfi sources: ffmpeg -filters");
        }
        return result.StandardError;
    }
}
