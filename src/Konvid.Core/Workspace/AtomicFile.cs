using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Konvid.Core.Workspace;

/// <summary>
/// Writes that a reader (or a re-run after a crash) never sees half-done: content goes to a temp file in the
/// same folder, is flushed to disk, then renamed over the target. A killed writer leaves its temp file
/// (<c>.&lt;name&gt;.&lt;pid&gt;.&lt;machine&gt;.&lt;guid&gt;.tmp</c>); the stage that owns the folder sweeps such leftovers on
/// its next run (<see cref="SweepLeftovers"/>).
/// </summary>
public static class AtomicFile
{
    public const string TempSuffix = ".tmp";

    /// <summary>
    /// How long a temp file of a writer on another machine (shards on a shared file system) or of an unknown machine must
    /// have gone unwritten before it counts as left over: streaming writers touch theirs continuously, small ones live for
    /// milliseconds.
    /// </summary>
    public static readonly TimeSpan ForeignWriterSilence = TimeSpan.FromHours(1);

    /// <summary>8 hex digits of SHA-256 of the machine name: a pid means something only on its own machine.</summary>
    internal static readonly string MachineTag =
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Environment.MachineName)))[..8];

    public static async Task WriteAllTextAsync(string path, string content, CancellationToken ct = default) =>
        await WriteAsync(path, (s, c) => s.WriteAsync(Encoding.UTF8.GetBytes(content), c).AsTask(), ct);

    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct = default) =>
        await WriteAsync(path, (s, c) => s.WriteAsync(content, c).AsTask(), ct);

    /// <summary>Streams content through <paramref name="write"/>; the target appears only if it completes.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken ct = default)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{MachineTag}.{Guid.NewGuid():N}{TempSuffix}");
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

    /// <summary>
    /// Deletes the temp files in <paramref name="folder"/> (and below, when <paramref name="recursive"/>) that killed
    /// writers left, or only those of the target file <paramref name="of"/> when given; returns how many. Temp files of
    /// this process and of live processes on this machine are kept, and a writer on another machine is taken for dead
    /// only after <see cref="ForeignWriterSilence"/> without a write.
    /// </summary>
    public static int SweepLeftovers(string folder, bool recursive = false, string? of = null)
    {
        if (!Directory.Exists(folder)) return 0;
        var now = DateTime.UtcNow;
        var swept = 0;
        var pattern = of is null ? "*" + TempSuffix : $".{of}.*{TempSuffix}";
        foreach (var file in Directory.EnumerateFiles(folder, pattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly))
        {
            if (!IsLeftover(file, now)) continue;
            try
            {
                File.Delete(file);
                swept++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return swept;
    }

    /// <summary>Sweeps <paramref name="places"/> at the start of <paramref name="stage"/>, the stage that writes there, and says what went.</summary>
    public static int SweepLeftovers(string stage, IProgressReporter progress, params TempPlace[] places)
    {
        var swept = places.Sum(p => SweepLeftovers(p.Folder, p.Recursive, p.Of));
        if (swept > 0) progress.Info($"{stage}: removed {swept} temp file{(swept == 1 ? "" : "s")} left by a killed run");
        return swept;
    }

    /// <summary>Whether a file is a temp file of <see cref="WriteAsync"/> whose writer is gone (see <see cref="SweepLeftovers"/>).</summary>
    internal static bool IsLeftover(string path, DateTime nowUtc)
    {
        var name = Path.GetFileName(path);
        if (!name.StartsWith('.') || !IsTemp(name)) return false;
        var parts = name[..^TempSuffix.Length].Split('.');
        // "", the target's name (may hold dots), pid, machine, guid; files of earlier versions lack the machine.
        if (parts.Length < 4 || parts[^1].Length != 32 || !IsHex(parts[^1])) return false;
        var tagged = parts.Length >= 5 && parts[^2].Length == MachineTag.Length && IsHex(parts[^2]) && IsPid(parts[^3], out _);
        if (!tagged && !IsPid(parts[^2], out _)) return false;
        if (tagged && parts[^2] == MachineTag && IsPid(parts[^3], out var pid))
            return pid != Environment.ProcessId && !LocalProcess.IsRunning(pid);
        try { return File.GetLastWriteTimeUtc(path) < nowUtc - ForeignWriterSilence; }
        catch (IOException) { return false; }
    }

    private static bool IsPid(string text, out int pid) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out pid) && pid > 0;

    private static bool IsHex(string text) => text.All(Uri.IsHexDigit);
}

/// <summary>Where a stage's atomic writes put their temp files: a folder (and below it), or one target file's folder.</summary>
public readonly record struct TempPlace(string Folder, bool Recursive = false, string? Of = null)
{
    public static TempPlace Tree(string folder) => new(folder, Recursive: true);

    public static TempPlace FileAt(string path) => new(Path.GetDirectoryName(Path.GetFullPath(path))!, Of: Path.GetFileName(path));
}
