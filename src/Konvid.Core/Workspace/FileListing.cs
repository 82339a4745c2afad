using System.IO.Enumeration;

namespace Konvid.Core.Workspace;

/// <summary>A file as one listing saw it: its full path, size and mtime.</summary>
internal sealed record ListedFile(string FullPath, long Length, long MtimeTicks);

/// <summary>
/// The files under a folder with their size and mtime: the names from one directory read without a stat, then one stat
/// per file split across cores. KonViD-150k's clips/ and features/ hold 150,000 files each and are listed on every run.
/// </summary>
internal static class FileListing
{
    private static readonly EnumerationOptions Recursive = new() { RecurseSubdirectories = true, AttributesToSkip = 0 };

    /// <summary>Every file under <paramref name="folder"/> whose entry <paramref name="include"/> accepts, in no order; one gone before its stat is left out.</summary>
    public static IReadOnlyList<ListedFile> Of(string folder, FileSystemEnumerable<string>.FindPredicate include)
    {
        var paths = new FileSystemEnumerable<string>(folder, (ref FileSystemEntry e) => e.ToFullPath(), Recursive)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && include(ref e),
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
