using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Probe;

namespace Konvid.Core.Tests.Support;

/// <summary>ffmpeg's siti filter summary of one clip: the oracle for SI and TI.</summary>
public sealed record SitiSummary(int Frames, double SiAverage, double SiMax, double TiAverage, double TiMax);

public static partial class MediaOracle
{
    public static async Task<SitiSummary> SitiAsync(string path)
    {
        var result = await Cli.Wrap("ffmpeg").WithArguments(["-hide_banner", "-nostdin", "-i", path, "-map", "0:v:0", "-vf", "siti=print_summary=1", "-f", "null", "-"])
            .ExecuteBufferedAsync();
        var text = result.StandardError;
        double Read(string section, string key)
        {
            var block = text[text.IndexOf(section, StringComparison.Ordinal)..];
            var m = Regex.Match(block, key + @":\s*([0-9.]+)");
            return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        var frames = int.Parse(Regex.Match(text, @"Total frames:\s*(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        return new SitiSummary(frames, Read("Spatial Information", "Average"), Read("Spatial Information", "Max"),
            Read("Temporal Information", "Average"), Read("Temporal Information", "Max"));
    }

    /// <summary>The clip's probe result straight from the reference reader, for feature tests that need one without a corpus.</summary>
    public static Task<ProbeResult> ProbeAsync(string path) =>
        FfprobeReader.ProbeAsync(path, Path.GetFileName(path), new string('0', 64), new FileInfo(path).Length, CancellationToken.None);
}

public static partial class MediaOracle
{
    /// <summary>Frames ffprobe counts by decoding the clip (-count_frames): what a decode-once pass must deliver.</summary>
    public static async Task<int> CountFramesAsync(string path)
    {
        var result = await Cli.Wrap("ffprobe").WithArguments(["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path])
            .ExecuteBufferedAsync();
        return int.Parse(result.StandardOutput.Trim().Split(',')[0], CultureInfo.InvariantCulture);
    }
}
