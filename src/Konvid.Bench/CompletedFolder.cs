namespace Konvid.Bench;

/// <summary>
/// A bench input folder made once and reused: written into a temporary sibling and moved into place with a
/// <c>.complete</c> marker, so a run stopped half-way leaves no folder that looks finished.
/// </summary>
internal static class CompletedFolder
{
    public static async Task<string> EnsureAsync(string folder, Func<string, CancellationToken, Task> write, CancellationToken ct)
    {
        if (File.Exists(Path.Combine(folder, ".complete"))) return folder;
        var temp = Path.Combine(Path.GetDirectoryName(folder)!, $".{Path.GetFileName(folder)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            await write(temp, ct);
            await File.WriteAllTextAsync(Path.Combine(temp, ".complete"), "complete\n", ct);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.Move(temp, folder);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        return folder;
    }
}
