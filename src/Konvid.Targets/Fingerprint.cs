using System.Globalization;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;

namespace Konvid.Targets;

/// <summary>
/// What decides a target's output, component by component: the code versions of what it produces, its key values
/// (and, to explain a change, the parameters those keys read), the state of every tracked file and its dependencies'
/// fingerprints (so a change upstream re-runs everything downstream). <see cref="Hash"/> covers all but the
/// parameters, which only name what changed; the record keeps every component so a re-run can say why.
/// Files count by size+mtime, not content: hashing clips is Verify's work, and a no-op run must cost milliseconds.
/// </summary>
internal sealed record Fingerprint(
    string Target,
    IReadOnlyList<(string Name, string Value)> Versions,
    IReadOnlyList<string?> Keys,
    IReadOnlyList<(string Name, string? Value)> Parameters,
    IReadOnlyList<(string Path, string State)> Files,
    IReadOnlyList<(string Name, string Hash)> Dependencies)
{
    public const string Missing = "missing";

    public string Hash { get; } = HashOf(Target, Versions, Keys, Files, Dependencies);

    /// <param name="dependencyHashes">The hash each dependency has in this run (after it ran, if it did).</param>
    /// <param name="folders">Tracked folders' states since the last target action, shared by the targets of one run.</param>
    public static Fingerprint Compute(BuildBase build, TargetDefinition target, Func<TargetDefinition, string> dependencyHashes, FolderStates? folders = null)
    {
        var keys = target.Keys.SelectMany(k => k()).Select(ParameterSet.Format).ToList();
        var files = target.TrackedPaths.SelectMany(p => p()).Select(Path.GetFullPath).Distinct()
            .Select(path => (path, folders is not null && Directory.Exists(path) ? folders.Get(path, StateOf) : StateOf(path))).ToList();
        return new Fingerprint(target.Name, target.Versions, keys, build.ParametersReadBy(target.Keys),
            files, target.Dependencies.Select(d => (d.Name, dependencyHashes(d))).ToList());
    }

    private static string HashOf(string target, IReadOnlyList<(string, string)> versions, IReadOnlyList<string?> keys,
        IReadOnlyList<(string, string)> files, IReadOnlyList<(string, string)> dependencies)
    {
        var text = new StringBuilder().Append("target:").Append(target).Append('\n');
        foreach (var (name, value) in versions) text.Append("version:").Append(name).Append('=').Append(value).Append('\n');
        foreach (var key in keys) text.Append("key:").Append(key ?? "<null>").Append('\n');
        foreach (var (path, state) in files) text.Append("file:").Append(path).Append('=').Append(state).Append('\n');
        foreach (var (name, hash) in dependencies) text.Append("dep:").Append(name).Append('=').Append(hash).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>A file's size and mtime; a folder's file count and a digest of every file's relative path, size and mtime.</summary>
    private static string StateOf(string path)
    {
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            return $"{info.Length} bytes, {Stamp(info.LastWriteTimeUtc)}";
        }
        if (!Directory.Exists(path)) return Missing;
        var listing = new StringBuilder();
        var count = 0;
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
        foreach (var (rel, length, ticks) in files)
        {
            listing.Append(rel).Append(':').Append(length).Append(':').Append(ticks).Append('\n');
            count++;
        }
        return $"folder of {count} files, {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())))[..16]}";
    }

    private static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// The state of each tracked folder, listed once per run while no target acts: several targets track the same folders
/// (Download and Verify clips/, Features and Jsonl features/), and at 150,000 clips each listing costs a stat per file.
/// <see cref="Forget"/> runs before every target action, since an action may change any folder.
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
