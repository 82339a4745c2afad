using System.Text.RegularExpressions;

namespace Konvid.Core.Workspace;

/// <summary>What ffprobe or ffmpeg printed to stderr, made into the one-line reason that probe results and attrition keep.</summary>
internal static partial class ToolMessage
{
    /// <summary>
    /// All lines joined with "; ", the clip's name for the long "file:/abs/path" the tool was given, and without the
    /// context addresses ("[mov,mp4 @ 0x55d2...]") that differ per run, so a reason is the same bytes on every run and shard.
    /// </summary>
    public static string OneLine(string stderr, string input, string src, string fallback)
    {
        var lines = Lines(stderr, input, src);
        return lines.Count == 0 ? fallback : string.Join("; ", lines);
    }

    /// <summary>The non-empty lines, each cleaned as <see cref="OneLine"/> cleans them.</summary>
    public static IReadOnlyList<string> Lines(string stderr, string input, string src) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => ContextAddress().Replace(l.Replace(input, src, StringComparison.Ordinal), "[$1]"))
            .ToList();

    [GeneratedRegex(@"\[([^\]@]+?) @ 0x[0-9a-fA-F]+\]")]
    private static partial Regex ContextAddress();
}
