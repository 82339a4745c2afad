using System.Globalization;

namespace Konvid.Core.Workspace;

/// <summary>
/// One run per corpus folder (per shard when sharded): a lock file holding the holder's pid. A lock whose process
/// is gone (killed run) is taken over; a live holder makes the second run refuse with a clear message.
/// </summary>
public sealed class WorkDirLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;

    private WorkDirLock(FileStream stream, string path) => (_stream, _path) = (stream, path);

    public static WorkDirLock Acquire(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(path, e);
        }
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                var pid = Encoding(Environment.ProcessId);
                stream.Write(pid);
                stream.Flush(flushToDisk: true);
                return new WorkDirLock(stream, path);
            }
            catch (IOException) when (File.Exists(path))
            {
                var holder = ReadPid(path);
                if (holder is { } pid && IsAlive(pid))
                    throw new KonvidException($"{Path.GetDirectoryName(path)} is in use by another Konvid run (pid {pid}, lock {path})",
                        "wait for it to finish, or stop it; a lock left by a killed run is taken over automatically");
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Unwritable(path, e);
            }
        }
        throw new KonvidException($"could not take the lock {path}", "remove it if no Konvid run is active");
    }

    private static KonvidException Unwritable(string path, Exception e) =>
        new($"the work dir {Path.GetDirectoryName(path)} is not writable ({e.Message})",
            "pass a writable --work-dir, or fix the permissions or free space there");

    private static byte[] Encoding(int pid) => System.Text.Encoding.ASCII.GetBytes(pid.ToString(CultureInfo.InvariantCulture) + "\n");

    private static int? ReadPid(string path)
    {
        try { return int.TryParse(File.ReadAllText(path).Trim(), out var pid) ? pid : null; }
        catch (IOException) { return null; }
    }

    private static bool IsAlive(int pid)
    {
        return pid == Environment.ProcessId || LocalProcess.IsRunning(pid);
    }

    public void Dispose()
    {
        _stream.Dispose();
        try { File.Delete(_path); } catch (IOException) { }
    }
}
