using System.Diagnostics;
using System.Text;

namespace Konvid.EndToEnd.Tests.Support;

/// <summary>
/// Runs ./build.sh as a real child process, as a user would, with its own environment; output is captured line by
/// line so a test can act (e.g. SIGKILL it) when a given line appears.
/// </summary>
public sealed class BuildProcess
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary><see cref="Output"/> is both streams interleaved as they came; <see cref="Stdout"/> and <see cref="Stderr"/> each alone.</summary>
    public sealed record Result(int ExitCode, string Output, bool Killed, string Stdout = "", string Stderr = "");

    /// <summary>
    /// Runs <c>./build.sh args</c>. If <paramref name="killWhen"/> matches an output line the process tree is killed
    /// with SIGKILL at once (a crash, not a clean cancellation).
    /// </summary>
    public static async Task<Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null,
        Func<string, bool>? killWhen = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Path.Combine(RepoRoot, "build.sh"))
        {
            WorkingDirectory = workingDirectory ?? RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["CI"] = "true";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;

        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var killed = false;
        void OnLine(string? line, StringBuilder stream)
        {
            if (line is null) return;
            lock (output)
            {
                output.AppendLine(line);
                stream.AppendLine(line);
            }
            if (killWhen is not null && !killed && killWhen(line))
            {
                killed = true;
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data, stdout);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, stderr);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(10));
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./build.sh {string.Join(' ', info.ArgumentList)} ran past its timeout:\n{output}");
        }
        process.WaitForExit();
        lock (output) return new Result(process.ExitCode, output.ToString(), killed, stdout.ToString(), stderr.ToString());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Konvid.sln"))) return dir.FullName;
        throw new InvalidOperationException("Konvid.sln not found above " + AppContext.BaseDirectory);
    }
}
