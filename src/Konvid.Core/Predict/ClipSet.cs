using System.Text;
using System.Text.RegularExpressions;
using Konvid.Core.Workspace;

namespace Konvid.Core.Predict;

/// <summary>
/// What <c>--clip</c> names, as a list of files: a file is a clip, except a list file (.txt, .lst, .list: one path a
/// line, relative to the list's folder; blank lines and lines starting with # skipped); a folder is every video file
/// below it (by extension, recursively); a pattern with * ? or [ is a glob (** crosses folders). Paths are absolute,
/// each once, in the order given (folders and globs sorted).
/// </summary>
internal static class ClipSet
{
    public static readonly IReadOnlySet<string> VideoExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".ts", ".mts", ".m2ts", ".mpg", ".mpeg", ".flv", ".wmv", ".3gp", ".ogv", ".y4m",
    };

    private static readonly IReadOnlySet<string> ListExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".txt", ".lst", ".list" };

    public static IReadOnlyList<string> Expand(IReadOnlyList<string> specs, string baseDir)
    {
        var clips = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs) Add(spec, baseDir, clips, seen, depth: 0);
        return clips;
    }

    public static bool IsVideo(string path) => VideoExtensions.Contains(Path.GetExtension(path));

    private static void Add(string spec, string baseDir, List<string> clips, HashSet<string> seen, int depth)
    {
        var full = Path.GetFullPath(spec, baseDir);
        if (Directory.Exists(full))
        {
            foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Where(IsVideo).Order(StringComparer.Ordinal))
                if (seen.Add(file)) clips.Add(file);
        }
        else if (File.Exists(full))
        {
            if (ListExtensions.Contains(Path.GetExtension(full)) && depth == 0)
            {
                foreach (var line in File.ReadLines(full, Encoding.UTF8).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
                    Add(line, Path.GetDirectoryName(full)!, clips, seen, depth + 1);
            }
            else if (seen.Add(full)) clips.Add(full);
        }
        else if (spec.AsSpan().IndexOfAny("*?[") >= 0)
        {
            foreach (var file in Glob(full).Where(IsVideo))
                if (seen.Add(file)) clips.Add(file);
        }
        else
        {
            throw new KonvidException($"Predict: --clip {spec}: no such file or folder",
                "give clips, folders, globs (quoted: 'dir/**/*.mp4') or a list file (.txt, one path a line)");
        }
    }

    /// <summary>Files matching an absolute glob: the folder before the first wildcard is walked, the rest matched.</summary>
    private static IEnumerable<string> Glob(string pattern)
    {
        var wildcard = pattern.AsSpan().IndexOfAny("*?[");
        var root = pattern[..(pattern.LastIndexOf(Path.DirectorySeparatorChar, wildcard) + 1)];
        if (!Directory.Exists(root)) return [];
        var regex = new Regex("^" + Regex.Escape(root) + ToRegex(pattern[root.Length..]) + "$", RegexOptions.CultureInvariant);
        var recursive = pattern.Contains("**", StringComparison.Ordinal) || pattern[root.Length..].Contains(Path.DirectorySeparatorChar);
        return Directory.EnumerateFiles(root, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(f => regex.IsMatch(f)).Order(StringComparer.Ordinal);
    }

    private static string ToRegex(string glob)
    {
        var sep = Regex.Escape(Path.DirectorySeparatorChar.ToString());
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slash = i + 2 < glob.Length && glob[i + 2] == Path.DirectorySeparatorChar;
                sb.Append(slash ? $"(.*{sep})?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') sb.Append($"[^{sep}]*");
            else if (c == '?') sb.Append($"[^{sep}]");
            else if (c == '[' && glob.IndexOf(']', i + 1) is var end and > 0)
            {
                var set = glob[(i + 1)..end].Replace("\\", "\\\\");
                sb.Append('[').Append(set.StartsWith('!') ? "^" + set[1..] : set).Append(']');
                i = end;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}
