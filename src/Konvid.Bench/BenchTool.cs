using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>Runs the external programs the limits are made of (curl, sha256sum, ffprobe, ffmpeg, build.sh).</summary>
internal static class BenchTool
{
    public static async Task<BufferedCommandResult> RunAsync(string program, IEnumerable<string> args, CancellationToken ct,
        string? workingDirectory = null, bool check = true)
    {
        var command = Cli.Wrap(program).WithArguments(args).WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null) command = command.WithWorkingDirectory(workingDirectory);
        BufferedCommandResult result;
        try
        {
            result = await command.ExecuteBufferedAsync(ct);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KonvidException($"Bench: {program} could not be started ({e.Message})", $"install {program}; the limits are measured with it");
        }
        if (check && result.ExitCode != 0)
            throw new KonvidException($"Bench: {program} {string.Join(' ', args)} exited with {result.ExitCode}: {FirstLine(result.StandardError)}",
                "run the command by hand to see why");
        return result;
    }

    public static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}
