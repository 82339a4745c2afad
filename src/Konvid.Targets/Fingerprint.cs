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
    public static string Compute(TargetDefinition target, IEnumerable<string> dependencyFingerprints)
    {
        var text = new StringBuilder().Append("target:").Append(target.Name).Append('\n')
            .Append("version:").Append(target.CodeVersion).Append('\n');
        foreach (var key in target.Keys.SelectMany(k => k()))
            text.Append("key:").Append(ParameterSet.Format(key) ?? "<null>").Append('\n');
        foreach (var dependency in dependencyFingerprints)
            text.Append("dep:").Append(dependency).Append('\n');
        foreach (var path in target.TrackedPaths.SelectMany(p => p()))
            AppendState(text, Path.GetFullPath(path));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
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
            var files = new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Select(f => (Rel: Path.GetRelativePath(path, f.FullName), f.Length, f.LastWriteTimeUtc.Ticks))
                .OrderBy(f => f.Rel, StringComparer.Ordinal);
            text.Append("dir:").Append(path).Append('\n');
            foreach (var (rel, length, ticks) in files)
                text.Append(rel).Append(':').Append(length).Append(':').Append(ticks).Append('\n');
        }
        else
            text.Append("missing:").Append(path).Append('\n');
    }

    public static bool IsRecorded(BuildBase build, TargetDefinition target, string fingerprint) =>
        target.IsIncremental && build.FingerprintFile(target.Name) is { } file && ReadRecorded(file) == fingerprint;

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
