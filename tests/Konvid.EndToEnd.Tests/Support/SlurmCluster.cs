using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;

namespace Konvid.EndToEnd.Tests.Support;

/// <summary>
/// A real single-node Slurm 22.05 cluster (munged, slurmctld, slurmd) on 127.0.0.1, private to one test class:
/// its own key, ports, state and socket under a temp folder, so it never meets a system Slurm or another fixture.
/// Clients reach it through <see cref="SlurmConf"/> (SLURM_CONF). Bring-up plus teardown takes about a second.
/// </summary>
public sealed class SlurmCluster : IAsyncLifetime
{
    public const string InstallLine = "apt-get install -y --no-install-recommends slurm-wlm munge";

    private static readonly string[] Tools = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "scontrol", "scancel", "squeue", "sinfo"];

    private readonly List<Process> _daemons = [];
    private int _scratch;

    /// <summary>Why the cluster cannot run here, or null. In CI (CI=true) always null: a missing package must fail there, not skip.</summary>
    public static string? UnavailableReason { get; } = FindUnavailableReason();

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "konvid-slurm-" + Guid.NewGuid().ToString("N")[..10]);

    public string SlurmConf => Path.Combine(Root, "slurm.conf");

    public string LogDir => Path.Combine(Root, "log");

    public async Task InitializeAsync()
    {
        if (FindUnavailableReason(ignoreCi: true) is { } reason)
            throw new InvalidOperationException($"Slurm test cluster cannot start: {reason}");
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Slurm test cluster needs Linux");

        // munged refuses sockets in group/world-writable folders and keys anyone else can read; slurmstepd runs
        // job steps that must traverse to the socket, hence 755 folders and a 700 key folder.
        foreach (var dir in new[] { Root, LogDir, Path.Combine(Root, "sock"), Path.Combine(Root, "state"), Path.Combine(Root, "spool"), Path.Combine(Root, "scratch") })
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var mungeDir = Directory.CreateDirectory(Path.Combine(Root, "munge"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        var key = Path.Combine(mungeDir, "munge.key");
        var socket = Path.Combine(Root, "sock", "munge.socket");
        await RunAsync("mungekey", "-c", "-k", key);

        var (controllerPort, nodePort) = (FreePort(), FreePort());
        await File.WriteAllTextAsync(SlurmConf, Config(socket, controllerPort, nodePort));

        StartDaemon("munged", "munged.log", "-F", "--socket=" + socket, "--key-file=" + key,
            "--pid-file=" + Path.Combine(mungeDir, "munged.pid"), "--seed-file=" + Path.Combine(mungeDir, "munged.seed"),
            "--log-file=" + Path.Combine(LogDir, "munged.log"));
        await WaitUntilAsync(() => Task.FromResult(File.Exists(socket)), "munged socket");
        StartDaemon("slurmctld", "slurmctld.out", "-D", "-c", "-i", "-f", SlurmConf);
        StartDaemon("slurmd", "slurmd.out", "-D", "-N", "localhost", "-f", SlurmConf);
        await WaitUntilAsync(async () => (await ClientAsync("sinfo", "-h", "-o", "%T")).StandardOutput.Trim() == "idle", "node idle in sinfo");
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_daemons.Count == 3)
            {
                // Jobs first, daemons after: a slurmd killed under a running step leaves the step's processes behind.
                await ClientAsync("scancel", "--user=root");
                await WaitUntilAsync(async () => (await ClientAsync("squeue", "-h", "-t", "RUNNING,COMPLETING")).StandardOutput.Trim().Length == 0,
                    "running jobs to end", TimeSpan.FromSeconds(10), throwOnTimeout: false);
            }
        }
        finally
        {
            for (var i = _daemons.Count - 1; i >= 0; i--) await StopAsync(_daemons[i]);
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>A fresh folder inside the cluster's root, reachable by the tasks and removed with the cluster.</summary>
    public string NewDirectory(string name)
    {
        var dir = Path.Combine(Root, "scratch", $"{Interlocked.Increment(ref _scratch):D2}-{name}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a Slurm client (scontrol, squeue...) against this cluster.</summary>
    public Task<BufferedCommandResult> ClientAsync(string tool, params string[] args) =>
        Cli.Wrap(tool).WithArguments(args).WithEnvironmentVariables(e => e.Set("SLURM_CONF", SlurmConf))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    private string Config(string mungeSocket, int controllerPort, int nodePort) => $"""
        ClusterName=konvidtest
        SlurmctldHost=localhost
        SlurmctldPort={controllerPort}
        SlurmdPort={nodePort}
        SlurmUser=root
        SlurmdUser=root
        AuthType=auth/munge
        CredType=cred/munge
        AuthInfo=socket={mungeSocket}
        StateSaveLocation={Root}/state
        SlurmdSpoolDir={Root}/spool
        SlurmctldPidFile={Root}/slurmctld.pid
        SlurmdPidFile={Root}/slurmd.pid
        SlurmctldLogFile={LogDir}/slurmctld.log
        SlurmdLogFile={LogDir}/slurmd.log
        # cgroup tracking makes jobs silently never run yet report COMPLETED with exit 0 in containers.
        ProctrackType=proctrack/linuxproc
        TaskPlugin=task/none
        SwitchType=switch/none
        MpiDefault=none
        ReturnToService=2
        SchedulerType=sched/builtin
        SchedulerParameters=batch_sched_delay=0
        SelectType=select/cons_tres
        SelectTypeParameters=CR_Core
        AccountingStorageType=accounting_storage/none
        JobCompType=jobcomp/none
        JobAcctGatherType=jobacct_gather/none
        NodeName=localhost NodeAddr=127.0.0.1 CPUs={Environment.ProcessorCount} State=UNKNOWN
        PartitionName=konvid Nodes=localhost Default=YES MaxTime=INFINITE State=UP

        """;

    private void StartDaemon(string daemon, string outputFile, params string[] args)
    {
        // exec keeps the pid ours; the daemon's own chatter goes to a file, not into the test output.
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        foreach (var arg in new[] { "-c", "exec \"$0\" \"$@\" >>\"$KONVID_DAEMON_LOG\" 2>&1", Which(daemon) }.Concat(args)) start.ArgumentList.Add(arg);
        start.Environment["KONVID_DAEMON_LOG"] = Path.Combine(LogDir, outputFile);
        start.Environment["SLURM_CONF"] = SlurmConf;
        _daemons.Add(Process.Start(start) ?? throw new InvalidOperationException($"{daemon} did not start"));
    }

    private static async Task StopAsync(Process daemon)
    {
        try
        {
            if (!daemon.HasExited)
            {
                await Cli.Wrap("kill").WithArguments(["-TERM", daemon.Id.ToString()]).WithValidation(CommandResultValidation.None).ExecuteAsync();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try { await daemon.WaitForExitAsync(grace.Token); }
                catch (OperationCanceledException) { daemon.Kill(); await daemon.WaitForExitAsync(); }
            }
        }
        finally
        {
            daemon.Dispose();
        }
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null, bool throwOnTimeout = true)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (limit ?? TimeSpan.FromSeconds(30)))
        {
            if (await condition()) return;
            if (_daemons.FirstOrDefault(d => d.HasExited) is { } dead)
                throw new InvalidOperationException($"Slurm test cluster: a daemon exited with {dead.ExitCode} while waiting for {what}; logs:\n{LogTails()}");
            await Task.Delay(50);
        }
        if (throwOnTimeout) throw new TimeoutException($"Slurm test cluster: no {what} after {clock.Elapsed.TotalSeconds:F0} s; logs:\n{LogTails()}");
    }

    private string LogTails() => string.Join("\n", Directory.EnumerateFiles(LogDir).Select(f =>
        $"== {Path.GetFileName(f)}\n{string.Join('\n', File.ReadLines(f).TakeLast(15))}"));

    private static async Task RunAsync(string tool, params string[] args)
    {
        var result = await Cli.Wrap(Which(tool)).WithArguments(args).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)}: {result.StandardError}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindUnavailableReason(bool ignoreCi = false)
    {
        if (!ignoreCi && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) return null;
        if (!OperatingSystem.IsLinux()) return "needs Linux";
        if (!Environment.IsPrivilegedProcess) return "needs root (munged and slurmd run as root)";
        var missing = Tools.Where(t => !OnPath(t)).ToList();
        return missing.Count == 0 ? null : $"missing {string.Join(", ", missing)}; install with: {InstallLine}";
    }

    private static bool OnPath(string tool) => Which(tool) != tool;

    /// <summary>Full path of a tool; daemons live in /usr/sbin, which a test runner's PATH may lack.</summary>
    private static string Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin")
            .Where(dir => dir.Length > 0).Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists) ?? tool;
}
