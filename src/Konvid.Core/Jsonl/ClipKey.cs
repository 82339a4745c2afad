using System.Text.RegularExpressions;

namespace Konvid.Core.Jsonl;

/// <summary>
/// The key that joins a clip file to its label, applied alike to clip file names, score-file names and flickr ids,
/// attrition ids and votes-file ids, so every spelling of one clip meets. KoNViD-1k renamed its clips between releases
/// (<c>&lt;id&gt;_original_centercrop_960x540_8s.mp4</c>, <c>&lt;id&gt;_cut_centercrop_960x540_8s.mp4</c>, <c>&lt;id&gt;.mp4</c>),
/// so every form reduces to the flickr id; any other name (KonViD-150k's <c>orig_&lt;id&gt;_540_5s</c>) reduces to
/// its stem. Published files also wrap ids in quotes or spaces, write them with folders (either slash), and clips
/// come in any container ffmpeg reads: all of that is stripped.
/// </summary>
internal static partial class ClipKey
{
    /// <summary>
    /// Extensions of the video containers and raw streams ffmpeg reads (its demuxers' common extensions). A list,
    /// not "whatever follows the last dot": ids such as <c>scores.csv:13</c> or a name with dots must stay whole.
    /// </summary>
    internal static readonly HashSet<string> ContainerExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "mp4", "m4v", "mov", "qt", "3gp", "3g2", "mj2", "f4v", "ismv", "webm", "mkv", "mk3d", "ts", "mts", "m2ts", "m2t",
        "avi", "divx", "flv", "mpg", "mpeg", "m1v", "m2v", "mpv", "vob", "mxf", "ogv", "ogg", "ogm", "wmv", "asf",
        "nut", "y4m", "yuv", "dv", "dif", "ivf", "obu", "h264", "264", "avc", "h265", "hevc", "265", "rm", "rmvb", "mjpeg",
        "mjpg", "gif", "evo",
    };

    public static string Of(string clipName)
    {
        var name = Unwrap(clipName).Replace('\\', '/');
        name = Unwrap(name[(name.LastIndexOf('/') + 1)..]);
        var dot = name.LastIndexOf('.');
        var stem = dot > 0 && ContainerExtensions.Contains(name[(dot + 1)..]) ? Unwrap(name[..dot]) : name;
        // The regex only for names it can match: keys are taken several times per clip, 150,000 clips per run.
        if (!stem.Contains("_centercrop_", StringComparison.Ordinal)) return stem;
        var m = Konvid1kName().Match(stem);
        return m.Success ? m.Groups[1].Value : stem;
    }

    /// <summary>Without surrounding whitespace and quotes (spreadsheet exports double them, hand-made lists use single ones).</summary>
    internal static string Unwrap(string text)
    {
        var s = text.Trim();
        while (s.Length >= 2 && (s[0] is '"' or '\'') && s[^1] == s[0]) s = s[1..^1].Trim();
        return s;
    }

    [GeneratedRegex(@"^(.+?)_(?:original|cut)_centercrop_\d+x\d+_\d+s$", RegexOptions.CultureInvariant)]
    private static partial Regex Konvid1kName();
}
