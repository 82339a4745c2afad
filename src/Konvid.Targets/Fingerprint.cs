using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Konvid.Targets;

/// <summary>
/// What decides a target's output, hashed: its name and code version, its key parameter values, its dependencies'
/// fingerprints (so a change upstream re-runs everything downstream) and the size and mtime of every tracked file.
/// Size+mtime, not content: hashing clips is Verify's work, and a no-op run must cost milliseconds.
/// </summary>
internal static class Fingerprint
{
    /// <param name="folders">What tracked folders looked like since the last target action, shared by the targets of one run.</param>
    public static string Compute(TargetDefinition target, IEnumerable<string> dependencyFingerprints, FolderStates? folders = null)
    {
        var text = new StringBuilder().Append("target:").Append(target.Name).Append('\n')
            .Append("version:").Append(target.CodeVersion).Append('\n');
        foreach (var key in target.Keys.SelectMany(k => k()))
            text.Append("key:").Append(ParameterSet.Format(key) ?? "<null>").Append('\n');
        foreach (var dependency in dependencyFingerprints)
            text.Append("dep:").Append(dependency).Append('\n');
        foreach (var path in target.TrackedPaths.SelectMany(p => p()))
        {
            var full = Path.GetFullPath(path);
            if (folders is not null && Directory.Exists(full)) text.Append(folders.Get(full, f => State(f)));
            else AppendState(text, full);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string State(string path)
    {
        var text = new StringBuilder();
        AppendState(text, path);
        return text.ToString();
    }

    private static void AppendState(StringBuilder text, string path)
    {
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            text.Append("file:").Append(path).Append(':').Append(info.Length).Append(':').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        else if (Directory.Exists(path))
        {
            // One stat per file straight from the enumeration, no FileInfo: 150,000 clips are listed on every run.
            var prefix = path.TrimEnd(Path.DirectorySeparatorChar).Length + 1;
            var files = new FileSystemEnumerable<(string Rel, long Length, long Ticks)>(path,
                    (ref FileSystemEntry e) => (e.ToFullPath()[prefix..], e.Length, e.LastWriteTimeUtc.UtcTicks),
                    new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                {
                    ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory,
                }
                .ToArray();
            Array.Sort(files, (a, b) => string.CompareOrdinal(a.Rel, b.Rel));
            text.Append("dir:").Append(path).Append('\n');
            foreach (var (rel, length, ticks) in files)
                text.Append(rel).Append(':').Append(length).Append(':').Append(ticks).Append('\n');
        }
        else
            text.Append("missing:").Append(path).Append('\n');
    }

    public static string? ReadRecorded(string file)
    {
        try { return File.Exists(file) ? JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("fingerprint").GetString() : null; }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or IOException) { return null; }
    }

    public static void Record(string file, string target, string fingerprint)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new { target, fingerprint, completed_utc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") }));
        File.Move(temp, file, overwrite: true);
    }
}

/// <summary>
/// The state text of each tracked folder, computed once per run while no target acts: several targets track the same
/// folders (Download and Verify clips/, Features and Jsonl features/), and at 150,000 clips each listing costs a stat per
/// file. <see cref="Forget"/> runs before every target action, since an action may change any folder.
/// </summary>
internal sealed class FolderStates
{
    private readonly Dictionary<string, string> _states = new(StringComparer.Ordinal);

    public string Get(string folder, Func<string, string> compute)
    {
        if (!_states.TryGetValue(folder, out var state)) _states[folder] = state = compute(folder);
        return state;
    }

    public void Forget() => _states.Clear();
}
