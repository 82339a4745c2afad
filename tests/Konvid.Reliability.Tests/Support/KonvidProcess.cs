using System.Diagnostics;
using System.Text;

namespace Konvid.Reliability.Tests.Support;

/// <summary>
/// ./build.sh as a real child process (non-interactive, as in CI), its output collected line by line, so a test can
/// wait for a line or a file, then SIGKILL it: a crash, not a clean cancellation.
/// </summary>
public sealed class KonvidProcess : IDisposable
{
    public static string RepoRoot { get; } = FindRoot();

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private KonvidProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public sealed record Result(int ExitCode, string Output, bool Killed);

    public static KonvidProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(Path.Combine(RepoRoot, "build.sh"))
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["CI"] = "true";
        info.Environment["TERM"] = "dumb";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info)!;
        var child = new KonvidProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs to the end (or kills it at <paramref name="timeout"/>, failing the test).</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        using var p = Start(args, env);
        return await p.WaitAsync(timeout);
    }

    /// <summary>Completes with the first output line (from now or already seen) that matches.</summary>
    public Task<string> LineAsync(Func<string, bool> match)
    {
        lock (_output)
        {
            foreach (var line in _output.ToString().Split('\n'))
                if (match(line.TrimEnd('\r'))) return Task.FromResult(line.TrimEnd('\r'));
            var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, seen));
            return seen.Task;
        }
    }

    /// <summary>True once <paramref name="condition"/> holds (polled every 20 ms), false if the process ended first.</summary>
    public async Task<bool> WhenAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (DateTime.UtcNow < until)
        {
            if (condition()) return true;
            if (_process.HasExited) return condition();
            await Task.Delay(20);
        }
        throw new TimeoutException($"condition not met within the timeout; output so far:\n{Output}");
    }

    /// <summary>SIGKILL to the whole tree, at once: nothing gets to clean up.</summary>
    public void Crash()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public async Task<Result> WaitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            Crash();
            throw new TimeoutException($"./build.sh ran past its timeout:\n{Output}");
        }
        _process.WaitForExit(); // drains the output handlers
        return new Result(_process.ExitCode, Output, _process.ExitCode == 137 || _process.ExitCode == -1);
    }

    public void Dispose()
    {
        if (!_process.HasExited) Crash();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        List<TaskCompletionSource<string>> hit = [];
        lock (_output)
        {
            _output.AppendLine(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
                if (_waiters[i].Match(line)) { hit.Add(_waiters[i].Seen); _waiters.RemoveAt(i); }
        }
        foreach (var seen in hit) seen.TrySetResult(line);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Konvid.sln"))) return dir.FullName;
        throw new InvalidOperationException("Konvid.sln not found above " + AppContext.BaseDirectory);
    }
}
