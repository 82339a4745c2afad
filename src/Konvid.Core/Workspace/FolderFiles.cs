namespace Konvid.Core.Workspace;

/// <summary>
/// Every file under a folder with its size and mtime, as the build engine listed them for the targets' fingerprints
/// (it lists each tracked folder once per run). A stage handed this reads it instead of listing the folder again: at
/// KonViD-150k's size clips/ and features/ hold 150,000 files each, and a listing is 150,000 stats (about 0.35 s on
/// two cores). Its files are what the stage's up-to-date check saw. <see cref="ListedAtTicks"/>: UTC ticks when the
/// listing began, so a stage that trusts a file by its size and mtime knows since when a change may be unseen.
/// </summary>
public sealed class FolderFiles
{
    private readonly Lazy<Dictionary<string, ListedFile>> _byPath;

    public FolderFiles(string folder, long listedAtTicks, IReadOnlyList<ListedFile> files)
    {
        Folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        ListedAtTicks = listedAtTicks;
        Files = files;
        _byPath = new(() => files.ToDictionary(f => f.FullPath, StringComparer.Ordinal));
    }

    public string Folder { get; }

    public long ListedAtTicks { get; }

    public IReadOnlyList<ListedFile> Files { get; }

    /// <summary>Whether <paramref name="folder"/> is the listed folder or lies inside it.</summary>
    public bool Covers(string folder)
    {
        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return path == Folder || path.StartsWith(Folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>The files under <paramref name="folder"/>, which this listing covers.</summary>
    public IEnumerable<ListedFile> Under(string folder)
    {
        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (path == Folder) return Files;
        var prefix = path + Path.DirectorySeparatorChar;
        return Files.Where(f => f.FullPath.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>The file at <paramref name="path"/> (a full path) as listed; null when the listing did not see one there.</summary>
    public ListedFile? Find(string path) => _byPath.Value.GetValueOrDefault(path);
}
