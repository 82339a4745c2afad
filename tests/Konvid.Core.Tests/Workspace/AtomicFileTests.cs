using System.Diagnostics;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Workspace;

public class AtomicFileTests
{
    [Fact]
    public async Task A_write_that_fails_half_way_leaves_the_previous_file_and_no_temp()
    {
        using var dir = new TempDir();
        var path = dir["out.json"];
        await AtomicFile.WriteAllTextAsync(path, "old");

        await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(path, async (s, ct) =>
        {
            await s.WriteAsync("new but incomplete"u8.ToArray(), ct);
            throw new IOException("disk full");
        }));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Corpus_paths_that_escape_the_corpus_folder_are_refused()
    {
        var layout = new CorpusLayout("/tmp/w", "c");
        Assert.Equal("/tmp/w/c/clips/a.mp4", layout.Resolve("clips/a.mp4"));
        Assert.Throws<KonvidException>(() => layout.Resolve("../escape.mp4"));
        Assert.Throws<KonvidException>(() => layout.Resolve("/etc/passwd"));
        Assert.Throws<KonvidException>(() => layout.Resolve("clips/../../c2/x"));
    }

    [Fact]
    public async Task A_sweep_removes_temp_files_of_dead_writers_and_keeps_those_of_live_ones_and_other_files()
    {
        using var dir = new TempDir();
        var dead = await DeadPidAsync();
        using var live = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        try
        {
            var guid = Guid.NewGuid().ToString("N");
            var here = AtomicFile.MachineTag;
            var other = here == "00000000" ? "11111111" : "00000000";
            string Temp(string target, int pid, string? machine, string folder = "") =>
                Path.Combine(dir.Path, folder, $".{target}.{pid}{(machine is null ? "" : "." + machine)}.{guid}{AtomicFile.TempSuffix}");
            string[] swept =
            [
                Temp("a.json", dead, here), Temp("x.y.z.json", dead, here, "sub"),
                // Another machine's (or an earlier version's) temp: dead only after long silence, whatever its pid.
                Temp("b.json", live.Id, other), Temp("c.json", dead, null),
            ];
            string[] kept =
            [
                Temp("d.json", live.Id, here), Temp("e.json", Environment.ProcessId, here),
                Temp("f.json", dead, other), Temp("g.json", dead, null),
                Path.Combine(dir.Path, "a.json"), Path.Combine(dir.Path, ".not-ours.tmp"), Path.Combine(dir.Path, ".h.json.12.abc" + AtomicFile.TempSuffix),
            ];
            Directory.CreateDirectory(dir["sub"]);
            foreach (var file in swept.Concat(kept)) await File.WriteAllTextAsync(file, "half");
            var longAgo = DateTime.UtcNow - AtomicFile.ForeignWriterSilence - TimeSpan.FromMinutes(1);
            File.SetLastWriteTimeUtc(swept[2], longAgo);
            File.SetLastWriteTimeUtc(swept[3], longAgo);

            Assert.Equal(1, AtomicFile.SweepLeftovers(dir.Path, of: "a.json"));
            Assert.False(File.Exists(swept[0]));
            Assert.Equal(swept.Length - 1, AtomicFile.SweepLeftovers(dir.Path, recursive: true));

            Assert.All(swept, f => Assert.False(File.Exists(f), $"{Path.GetFileName(f)} was kept"));
            Assert.All(kept, f => Assert.True(File.Exists(f), $"{Path.GetFileName(f)} was swept"));
        }
        finally
        {
            live.Kill();
        }
    }

    [Fact]
    public async Task Temp_names_carry_the_writers_pid_and_machine_so_a_sweep_can_tell_its_writer()
    {
        using var dir = new TempDir();
        var path = dir["out.json"];
        string? seen = null;
        await AtomicFile.WriteAsync(path, (s, ct) =>
        {
            seen = Assert.Single(Directory.GetFiles(dir.Path));
            return Task.CompletedTask;
        });
        Assert.StartsWith($".out.json.{Environment.ProcessId}.{AtomicFile.MachineTag}.", Path.GetFileName(seen));
        Assert.False(AtomicFile.IsLeftover(seen!, DateTime.UtcNow), "a temp of this process is never a leftover");
    }

    /// <summary>The pid of a process that has exited.</summary>
    internal static async Task<int> DeadPidAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        await process.WaitForExitAsync();
        return process.Id;
    }
}
