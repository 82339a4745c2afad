using System.Diagnostics;

namespace Konvid.Core.Workspace;

/// <summary>Whether a pid recorded in a file name or lock names a process still running on this machine.</summary>
internal static class LocalProcess
{
    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
