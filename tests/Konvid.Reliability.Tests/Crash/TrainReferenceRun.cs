using System.Diagnostics;
using Konvid.Reliability.Tests.Support;

namespace Konvid.Reliability.Tests.Crash;

/// <summary>
/// The small sample built through Jsonl once per class, kept as it stood before Train, plus an uninterrupted Train on it
/// and the snapshot of what that Train left.
/// </summary>
public sealed class TrainReferenceRun : IAsyncLifetime
{
    private readonly Scratch _dir = new();

    public string BeforeTrain => _dir["before-train"];

    public WorkSnapshot AfterTrain { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var work = _dir["reference"];
        await Run("Jsonl", work);
        Copy(work, BeforeTrain);
        await Run("Train", work);
        AfterTrain = WorkSnapshot.Take(work);
    }

    /// <summary>Train on a copy, upstream targets skipped: a copy lives at another path, and re-running Jsonl there would re-stamp the corpus.</summary>
    public static string[] TrainArgs(string work) =>
        [.. SamplePipeline.Args("Train", work), "--skip", "Download", "Verify", "Probe", "Features", "Jsonl"];

    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        using var cp = Process.Start("cp", ["-a", from + "/.", to])!;
        cp.WaitForExit();
        if (cp.ExitCode != 0) throw new InvalidOperationException($"cp -a {from} {to} failed");
    }

    private static async Task Run(string target, string work)
    {
        var run = await KonvidProcess.RunAsync(SamplePipeline.Args(target, work), SamplePipeline.SmallEnv);
        if (run.ExitCode != 0) throw new InvalidOperationException($"reference ./build.sh {target} failed ({run.ExitCode}):\n{run.Output}");
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
