using Konvid.Reliability.Tests.Support;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Reliability.Tests.Resources;

/// <summary>The work dir as the user meets it through ./build.sh: shared by two runs, left locked by a crash, not writable.</summary>
public class WorkDirProcessTests
{
    private static readonly byte[] Videos = Zip(("KoNViD_1k_videos/1.mp4", Body(30_000, 1), RegularFile), ("KoNViD_1k_videos/2.mp4", Body(30_000, 2), RegularFile));
    private static readonly byte[] Metadata = Zip(("KoNViD_1k_metadata/KoNViD_1k_attributes.csv", "flickr_id,MOS\n1,3.2\n"u8.ToArray(), RegularFile));

    private static string[] Download(string work, FaultServer server) =>
        ["Download", "--corpus", "sample", "--work-dir", work, "--mirror", server.BaseUri.ToString(), "--jobs", "1"];

    [Fact]
    public async Task A_second_run_refuses_naming_the_holders_pid_and_the_lock_of_a_SIGKILLed_run_is_taken_over()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new Scratch();
        server.Serve("KoNViD_1k_videos.zip", Videos, Fault.Stall);
        server.Serve("KoNViD_1k_metadata.zip", Metadata);
        var lockFile = Path.Combine(dir.Path, "sample", ".lock");

        using var holder = KonvidProcess.Start(Download(dir.Path, server));
        Assert.True(await holder.WhenAsync(() => server.RequestsFor("KoNViD_1k_videos.zip").Count > 0), holder.Output);
        Assert.Equal(holder.Pid.ToString(), File.ReadAllText(lockFile).Trim());

        var second = await KonvidProcess.RunAsync(Download(dir.Path, server));

        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"is in use by another Konvid run (pid {holder.Pid}", second.Output);
        Assert.DoesNotContain("Unhandled exception", second.Output);
        Assert.DoesNotContain("   at ", second.Output);
        Assert.Equal(holder.Pid.ToString(), File.ReadAllText(lockFile).Trim());

        holder.Crash();
        await holder.WaitAsync();
        Assert.True(File.Exists(lockFile), "a SIGKILLed run cannot remove its lock; the next run must cope with it");

        server.Answer("KoNViD_1k_videos.zip", Fault.None);
        var third = await KonvidProcess.RunAsync(Download(dir.Path, server));

        Assert.True(third.ExitCode == 0, third.Output);
        Assert.Equal(Body(30_000, 2), File.ReadAllBytes(Path.Combine(dir.Path, "sample", "clips", "KoNViD_1k_videos", "2.mp4")));
        Assert.False(File.Exists(lockFile));
    }

    [Fact]
    public async Task A_work_dir_that_is_a_file_is_a_one_line_error_with_exit_code_1()
    {
        using var dir = new Scratch();
        var notADir = dir["work"];
        await File.WriteAllTextAsync(notADir, "not a folder");

        var run = await KonvidProcess.RunAsync(["Download", "--corpus", "sample", "--work-dir", notADir, "--mirror", "http://127.0.0.1:9/"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(notADir, run.Output);
        Assert.DoesNotContain("Unhandled exception", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
        Assert.Equal("not a folder", await File.ReadAllTextAsync(notADir));
    }

    [TmpfsFact]
    public async Task A_read_only_work_dir_is_a_one_line_error_with_exit_code_1()
    {
        using var dir = new Scratch();
        using var disk = Tmpfs.Mount(dir["work"], "size=1m,ro");

        var run = await KonvidProcess.RunAsync(["Download", "--corpus", "sample", "--work-dir", disk.Path, "--mirror", "http://127.0.0.1:9/"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Read-only file system", run.Output);
        Assert.DoesNotContain("Unhandled exception", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
    }

    [Theory]
    [InlineData("ftp://mirror.example/konvid/", "unsupported URL scheme 'ftp'")]
    [InlineData("gopher://mirror.example/", "unsupported URL scheme 'gopher'")]
    [InlineData("mirror.example/konvid", "is not an absolute URL")]
    public async Task An_unsupported_mirror_is_a_one_line_error_with_exit_code_1_and_nothing_fetched(string mirror, string says)
    {
        using var dir = new Scratch();

        var run = await KonvidProcess.RunAsync(["Download", "--corpus", "sample", "--work-dir", dir.Path, "--mirror", mirror]);

        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.Output.Split('\n'), l => l.Contains(says) && !l.TrimStart().StartsWith("Download   failed"));
        Assert.StartsWith("Download:", error.Trim());
        Assert.DoesNotContain("   at ", run.Output);
        Assert.DoesNotContain(dir.Files(), f => f.Contains("clips/") || f.Contains("downloads/"));
    }
}
