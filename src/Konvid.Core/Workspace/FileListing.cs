using System.IO.Enumeration;

namespace Konvid.Core.Workspace;

/// <summary>A file as one listing saw it: its full path, size and mtime.</summary>
public sealed record ListedFile(string FullPath, long Length, long MtimeTicks);

/// <summary>
/// The files under a folder with their size and mtime: the names from one directory read without a stat, then one stat
/// per file split across cores; or, when the caller holds a current listing of the folder (the build engine's, see
/// <see cref="FolderFiles"/>), the files of that. KonViD-150k's clips/ and features/ hold 150,000 files each.
/// </summary>
internal static class FileListing
{
    /// <summary>Whether a file of this name is wanted.</summary>
    public delegate bool NameFilter(ReadOnlySpan<char> fileName);

    private static readonly EnumerationOptions Recursive = new() { RecurseSubdirectories = true, AttributesToSkip = 0 };

    /// <summary>
    /// Every file under <paramref name="folder"/> whose name <paramref name="include"/> accepts, in no order; one gone
    /// before its stat is left out. Taken from <paramref name="listed"/> when it covers the folder.
    /// </summary>
    public static IReadOnlyList<ListedFile> Of(string folder, NameFilter include, FolderFiles? listed = null)
    {
        if (listed is not null && listed.Covers(folder))
            return listed.Under(folder).Where(f => include(Path.GetFileName(f.FullPath.AsSpan()))).ToList();
        var paths = new FileSystemEnumerable<string>(folder, (ref FileSystemEntry e) => e.ToFullPath(), Recursive)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && include(e.FileName),
        }.ToArray();
        var files = new ListedFile?[paths.Length];
        Parallel.For(0, paths.Length, i =>
        {
            var info = new FileInfo(paths[i]);
            if (info.Exists) files[i] = new ListedFile(paths[i], info.Length, info.LastWriteTimeUtc.Ticks);
        });
        return files.OfType<ListedFile>().ToList();
    }
}
