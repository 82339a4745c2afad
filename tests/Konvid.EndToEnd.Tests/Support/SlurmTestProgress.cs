using System.Collections.Concurrent;
using Konvid.Core.Workspace;

namespace Konvid.EndToEnd.Tests.Support;

/// <summary>Keeps what a stage reported, so a test can read the array id and warnings it announced.</summary>
public sealed class SlurmTestProgress : IProgressReporter
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IProgressTask Start(string name, long total, string unit) => NullProgress.Instance.Start(name, total, unit);

    public void Info(string line) => Lines.Enqueue("info: " + line);

    public void Warn(string line) => Lines.Enqueue("warn: " + line);

    /// <summary>The id of the last array submitted ("Slurm array 12: ...").</summary>
    public string LastArrayId() =>
        Lines.Where(l => l.StartsWith("info: Slurm array ", StringComparison.Ordinal)).Select(l => l["info: Slurm array ".Length..].Split(':')[0]).Last();
}
