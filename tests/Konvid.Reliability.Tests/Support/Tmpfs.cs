using System.Diagnostics;

namespace Konvid.Reliability.Tests.Support;

/// <summary>
/// A small tmpfs mounted on a folder, to make a disk fill up or turn read-only on cue. Needs root (CAP_SYS_ADMIN);
/// tests that need it use <see cref="TmpfsFactAttribute"/> and are skipped, visibly, where mounting is not allowed.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Why tmpfs mounts cannot be made here, or null when they can.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    public static Tmpfs Mount(string path, string options)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        return new Tmpfs(path);
    }

    /// <summary>Changes size or read-only state in place, keeping the files (e.g. "remount,size=32m").</summary>
    public void Remount(string options) => Run("mount", "-o", "remount," + options, Path);

    public void Dispose()
    {
        try { Run("umount", "-l", Path); } catch (InvalidOperationException) { }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "tmpfs mounts need Linux";
        if (Environment.UserName != "root") return $"tmpfs mounts need root; running as {Environment.UserName}";
        var probe = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "konvid-tmpfs-probe-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (Mount(probe, "size=64k")) { }
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
        finally
        {
            try { Directory.Delete(probe); } catch (IOException) { }
        }
    }

    private static void Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed: {error.Trim()}");
    }
}

/// <summary>A fact that needs tmpfs mounts; reported as skipped, with the reason, where they are not allowed.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.WhyUnavailable is { } why) Skip = why;
    }
}
