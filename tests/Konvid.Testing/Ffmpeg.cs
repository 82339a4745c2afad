using CliWrap;
using CliWrap.Buffered;

namespace Konvid.Testing;

/// <summary>Runs the real ffmpeg/ffprobe for fixtures and as the oracle.</summary>
public static class Ffmpeg
{
    /// <summary>Runs ffmpeg with the given arguments (-y -hide_banner -loglevel error are added) and fails the test on a non-zero exit.</summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        var result = await Cli.Wrap("ffmpeg").WithArguments(["-y", "-hide_banner", "-loglevel", "error", .. args])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.ExitCode != 0) throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {result.StandardError}");
        return result.StandardError;
    }

    /// <summary>Makes a short H.264 clip from a lavfi source, e.g. <c>testsrc2=size=320x240:rate=25</c>.</summary>
    public static async Task<string> MakeClipAsync(string path, string lavfi, double seconds = 1, params string[] extra)
    {
        await RunAsync(["-f", "lavfi", "-i", lavfi, "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra, path]);
        return path;
    }

    public static async Task<string> ProbeJsonAsync(string path)
    {
        var result = await Cli.Wrap("ffprobe").WithArguments(["-v", "error", "-show_streams", "-show_format", "-of", "json", path])
            .ExecuteBufferedAsync();
        return result.StandardOutput;
    }
}
