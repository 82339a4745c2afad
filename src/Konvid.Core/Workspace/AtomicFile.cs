using System.Text;

namespace Konvid.Core.Workspace;

/// <summary>
/// Writes that a reader (or a re-run after a crash) never sees half-done: content goes to a temp file in the
/// same folder, is flushed to disk, then renamed over the target.
/// </summary>
public static class AtomicFile
{
    public const string TempSuffix = ".tmp";

    public static async Task WriteAllTextAsync(string path, string content, CancellationToken ct = default) =>
        await WriteAsync(path, (s, c) => s.WriteAsync(Encoding.UTF8.GetBytes(content), c).AsTask(), ct);

    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct = default) =>
        await WriteAsync(path, (s, c) => s.WriteAsync(content, c).AsTask(), ct);

    /// <summary>Streams content through <paramref name="write"/>; the target appears only if it completes.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken ct = default)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(stream, ct);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>True for leftovers of an interrupted <see cref="WriteAsync"/>: never to be taken for a finished file.</summary>
    public static bool IsTemp(string path) => path.EndsWith(TempSuffix, StringComparison.Ordinal);
}
