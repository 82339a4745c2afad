using System.Text.RegularExpressions;

namespace Konvid.Core.Jsonl;

/// <summary>
/// The key that joins a clip file to its label. KoNViD-1k renamed its clips between releases
/// (<c>&lt;id&gt;_original_centercrop_960x540_8s.mp4</c>, <c>&lt;id&gt;_cut_centercrop_960x540_8s.mp4</c>, <c>&lt;id&gt;.mp4</c>),
/// so every form reduces to the flickr id; any other name (KonViD-150k's <c>orig_&lt;id&gt;_540_5s</c>) reduces to
/// its stem, with or without ".mp4".
/// </summary>
internal static partial class ClipKey
{
    public static string Of(string clipName)
    {
        var name = Path.GetFileName(clipName.Trim());
        var stem = name.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        var m = Konvid1kName().Match(stem);
        return m.Success ? m.Groups[1].Value : stem;
    }

    [GeneratedRegex(@"^(.+?)_(?:original|cut)_centercrop_\d+x\d+_\d+s$", RegexOptions.CultureInvariant)]
    private static partial Regex Konvid1kName();
}
