using System.Collections.Concurrent;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Support;

/// <summary>An <see cref="IProgressReporter"/> that keeps what it was told, for asserting on bars, totals and warnings.</summary>
public sealed class AcquisitionProgressRecorder : IProgressReporter
{
    private readonly ConcurrentQueue<Bar> _bars = new();
    private readonly ConcurrentQueue<string> _warnings = new();
    private readonly ConcurrentQueue<string> _infos = new();

    public IReadOnlyList<Bar> Bars => [.. _bars];

    public IReadOnlyList<string> Warnings => [.. _warnings];

    public IReadOnlyList<string> Infos => [.. _infos];

    public IProgressTask Start(string name, long total, string unit)
    {
        var bar = new Bar(name, unit, total);
        _bars.Enqueue(bar);
        return bar;
    }

    public void Info(string line) => _infos.Enqueue(line);

    public void Warn(string line) => _warnings.Enqueue(line);

    public sealed class Bar(string name, string unit, long total) : IProgressTask
    {
        private long _done, _total = total;

        public string Name => name;

        public string Unit => unit;

        public long Total => Interlocked.Read(ref _total);

        public long Done => Interlocked.Read(ref _done);

        public void Advance(long amount = 1) => Interlocked.Add(ref _done, amount);

        public void SetTotal(long total) => Interlocked.Exchange(ref _total, total);

        public void Dispose() { }
    }
}
