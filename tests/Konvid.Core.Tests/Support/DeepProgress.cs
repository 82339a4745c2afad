using System.Collections.Concurrent;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Support;

/// <summary>A progress reporter that remembers every Info and Warn line, to assert what a stage told the user.</summary>
public sealed class DeepProgress : IProgressReporter
{
    public ConcurrentQueue<string> Infos { get; } = new();
    public ConcurrentQueue<string> Warnings { get; } = new();

    public IProgressTask Start(string name, long total, string unit) => NullProgress.Instance.Start(name, total, unit);

    public void Info(string line) => Infos.Enqueue(line);

    public void Warn(string line) => Warnings.Enqueue(line);
}
