using System.Diagnostics;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Workspace;

public class WorkDirLockTests
{
    [Fact]
    public void A_second_run_on_the_same_folder_refuses_naming_the_holder()
    {
        using var dir = new TempDir();
        var path = dir[".lock"];
        using (WorkDirLock.Acquire(path))
        {
            var e = Assert.Throws<KonvidException>(() => WorkDirLock.Acquire(path));
            Assert.Contains($"pid {Environment.ProcessId}", e.Message);
            Assert.Contains("in use by another Konvid run", e.Message);
        }
        Assert.False(File.Exists(path), "the lock is released when the run ends");
        using (WorkDirLock.Acquire(path)) { }
    }

    [Fact]
    public void A_lock_left_by_a_killed_process_is_taken_over()
    {
        using var dir = new TempDir();
        var path = dir[".lock"];
        using var dead = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        dead.WaitForExit();
        File.WriteAllText(path, dead.Id + "\n");

        using var taken = WorkDirLock.Acquire(path);
        Assert.Equal(Environment.ProcessId.ToString(), File.ReadAllText(path).Trim());
    }
}
