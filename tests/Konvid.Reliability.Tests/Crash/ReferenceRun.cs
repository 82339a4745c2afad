using Konvid.Reliability.Tests.Support;

namespace Konvid.Reliability.Tests.Crash;

/// <summary>
/// The uninterrupted pipeline (Download to Jsonl) on the tiny sample, built once per test class: target by target, with a snapshot of the
/// work dir after each, so a crashed-then-rerun target is compared with exactly what it should have produced.
/// </summary>
public sealed class ReferenceRun : IAsyncLifetime
{
    private readonly Scratch _dir = new();
    private readonly Dictionary<string, WorkSnapshot> _after = new(StringComparer.Ordinal);

    public string WorkDir => _dir.Path;

    public WorkSnapshot After(string target) => _after.TryGetValue(target, out var s)
        ? s
        : throw new InvalidOperationException($"the reference run did not get through {target}; targets done: {string.Join(", ", _after.Keys)}");

    public async Task InitializeAsync()
    {
        // Train needs more rows than the tiny sample has; TrainCrashTests use the small one.
        foreach (var target in SamplePipeline.Order.Where(t => t != "Train"))
        {
            var run = await KonvidProcess.RunAsync(SamplePipeline.Args(target, WorkDir), SamplePipeline.Env);
            if (run.ExitCode != 0) throw new InvalidOperationException($"reference ./build.sh {target} failed ({run.ExitCode}):\n{run.Output}");
            _after[target] = WorkSnapshot.Take(WorkDir);
        }
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
