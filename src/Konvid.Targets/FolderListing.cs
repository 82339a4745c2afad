using System.Buffers;
using System.Globalization;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;

namespace Konvid.Targets;

/// <summary>The files a folder holds and their bytes, as a run last listed them.</summary>
public sealed record FolderSize(long Files, long Bytes);

/// <summary>A file under a tracked folder as the run's listing saw it: full path, size and mtime (UTC ticks).</summary>
public readonly record struct TrackedFile(string Path, long Length, long MtimeTicks);

/// <summary>
/// A tracked folder's files as the run's listing saw them. <paramref name="ListedAtTicks"/>: UTC ticks when the listing
/// began (a file stated again since, because a target declared it produced, was stated later), so a file changed after
/// it may have been seen as it was before.
/// </summary>
public sealed record TrackedFolder(string Path, long ListedAtTicks, IReadOnlyList<TrackedFile> Files);

/// <summary>
/// One listing of a tracked folder: every file's relative path, size and mtime, in path order. Its state for a
/// fingerprint is the file count and a digest of those lines. KonViD-150k's clips/ and features/ hold 150,000 files
/// each, so names come from one directory read without a stat, and the stats (one per file) are split across cores.
/// </summary>
internal sealed class FolderListing
{
    private static readonly EnumerationOptions Recursive = new() { RecurseSubdirectories = true, AttributesToSkip = 0 };

    private readonly string _folder;
    private readonly List<(string Rel, long Length, long Ticks)> _files;

    private readonly long _listedAt;

    private FolderListing(string folder, long listedAt, List<(string Rel, long Length, long Ticks)> files)
    {
        _folder = folder;
        _listedAt = listedAt;
        _files = files;
        State = Digest(files);
        Size = new FolderSize(files.Count, files.Sum(f => Math.Max(0, f.Length)));
    }

    public string State { get; }

    public FolderSize Size { get; }

    /// <summary>The files listed, by full path; one gone before its stat is left out.</summary>
    public TrackedFolder Files()
    {
        var folder = _folder.TrimEnd(Path.DirectorySeparatorChar);
        return new TrackedFolder(_folder, _listedAt,
            _files.Where(f => f.Length >= 0).Select(f => new TrackedFile($"{folder}{Path.DirectorySeparatorChar}{f.Rel}", f.Length, f.Ticks)).ToList());
    }

    public static FolderListing Of(string folder)
    {
        var listedAt = DateTime.UtcNow.Ticks;
        var prefix = Prefix(folder);
        var paths = new FileSystemEnumerable<string>(folder, (ref FileSystemEntry e) => e.ToFullPath(), Recursive)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory,
        }.ToArray();
        var files = new (string Rel, long Length, long Ticks)[paths.Length];
        Parallel.For(0, paths.Length, i => files[i] = Stat(paths[i], prefix));
        Array.Sort(files, (a, b) => string.CompareOrdinal(a.Rel, b.Rel));
        return new FolderListing(folder, listedAt, [.. files]);
    }

    /// <summary>This listing with <paramref name="changed"/> (files inside the folder, full paths) stated again: added, changed or gone.</summary>
    public FolderListing Refresh(IEnumerable<string> changed)
    {
        var files = new List<(string Rel, long Length, long Ticks)>(_files);
        var prefix = Prefix(_folder);
        foreach (var path in changed)
        {
            var rel = path[prefix..];
            var at = files.BinarySearch((rel, 0, 0), Comparer<(string Rel, long Length, long Ticks)>.Create((a, b) => string.CompareOrdinal(a.Rel, b.Rel)));
            var now = File.Exists(path) ? Stat(path, prefix) : ((string, long, long)?)null;
            if (at >= 0 && now is { } replaced) files[at] = replaced;
            else if (at >= 0) files.RemoveAt(at);
            else if (now is { } added) files.Insert(~at, added);
        }
        return new FolderListing(_folder, _listedAt, files);
    }

    private static int Prefix(string folder) => folder.TrimEnd(Path.DirectorySeparatorChar).Length + 1;

    /// <summary>A file deleted between the listing and its stat is listed as gone; the next run lists it again.</summary>
    private static (string Rel, long Length, long Ticks) Stat(string path, int prefix)
    {
        var info = new FileInfo(path);
        return info.Exists ? (path[prefix..], info.Length, info.LastWriteTimeUtc.Ticks) : (path[prefix..], -1, 0);
    }

    /// <summary>"folder of N files, " and 16 hex digits of the SHA-256 of "path:size:mtime\n" per file, in path order.</summary>
    private static string Digest(List<(string Rel, long Length, long Ticks)> files)
    {
        var text = new ArrayBufferWriter<byte>(Math.Max(256, files.Count * 96));
        foreach (var (rel, length, ticks) in files)
        {
            var span = text.GetSpan(Encoding.UTF8.GetMaxByteCount(rel.Length) + 48);
            var n = Encoding.UTF8.GetBytes(rel, span);
            span[n++] = (byte)':';
            length.TryFormat(span[n..], out var w, provider: CultureInfo.InvariantCulture);
            n += w;
            span[n++] = (byte)':';
            ticks.TryFormat(span[n..], out w, provider: CultureInfo.InvariantCulture);
            n += w;
            span[n++] = (byte)'\n';
            text.Advance(n);
        }
        return $"folder of {files.Count} files, {Convert.ToHexStringLower(SHA256.HashData(text.WrittenSpan))[..16]}";
    }
}

/// <summary>
/// The listing of each tracked folder, taken once per run and shared by the targets that track it (Download and
/// Verify clips/, Features and Jsonl features/). After a target acts, what it produced is listed again: a folder it
/// names whole, or just the files it names inside a folder; everything when it names nothing.
/// </summary>
internal sealed class FolderStates
{
    private readonly Dictionary<string, FolderListing> _listings = new(StringComparer.Ordinal);

    public string Get(string folder)
    {
        if (!_listings.TryGetValue(folder, out var listing)) _listings[folder] = listing = FolderListing.Of(folder);
        return listing.State;
    }

    public bool Has(string folder) => _listings.ContainsKey(folder);

    /// <summary>The files of <paramref name="folder"/> (a full path) as listed for the fingerprints, listed now if no listing is current.</summary>
    public TrackedFolder Files(string folder)
    {
        if (!_listings.TryGetValue(folder, out var listing)) _listings[folder] = listing = FolderListing.Of(folder);
        return listing.Files();
    }

    /// <summary>The folders listed since the last action that could have changed them, by full path.</summary>
    public IReadOnlyDictionary<string, FolderSize> Sizes => _listings.ToDictionary(l => l.Key, l => l.Value.Size, StringComparer.Ordinal);

    public void Forget() => _listings.Clear();

    /// <summary>
    /// Takes in what an action produced (full paths): a listed folder that is, holds or lies inside a produced folder is
    /// forgotten; produced files inside a listed folder are stated again in its listing.
    /// </summary>
    public void TakeIn(IEnumerable<string> produced)
    {
        var paths = produced.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))).Distinct().ToList();
        foreach (var folder in _listings.Keys.ToList())
        {
            var touching = paths.Where(p => Within(p, folder) || Within(folder, p)).ToList();
            if (touching.Count == 0) continue;
            if (touching.Any(p => p == folder || Within(folder, p) || Directory.Exists(p))) _listings.Remove(folder);
            else _listings[folder] = _listings[folder].Refresh(touching);
        }
    }

    private static bool Within(string path, string folder)
    {
        folder = Path.TrimEndingDirectorySeparator(folder);
        return path == folder || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
