using System.Globalization;
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
    /// <param name="unlisted">
    /// When given, folders not listed yet in this run are not listed: each takes its state from these (a recorded
    /// fingerprint's files), so a target sure to run for another reason costs no listing of 150,000 files.
    /// </param>
    public static Fingerprint Compute(BuildBase build, TargetDefinition target, Func<TargetDefinition, string> dependencyHashes, FolderStates? folders = null,
        IReadOnlyList<(string Path, string State)>? unlisted = null)
    {
        var keys = target.Keys.SelectMany(k => k()).Select(ParameterSet.Format).ToList();
        var files = target.TrackedPaths.SelectMany(p => p()).Select(Path.GetFullPath).Distinct()
            .Select(path => (path, folders is null || !Directory.Exists(path) ? StateOf(path)
                : unlisted is not null && !folders.Has(path) ? unlisted.FirstOrDefault(f => f.Path == path).State ?? "not listed"
                : folders.Get(path))).ToList();
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

    /// <summary>A file's size and mtime; a folder's state as <see cref="FolderListing"/> takes it.</summary>
    private static string StateOf(string path)
    {
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            return $"{info.Length} bytes, {Stamp(info.LastWriteTimeUtc)}";
        }
        return Directory.Exists(path) ? FolderListing.Of(path).State : Missing;
    }

    private static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
