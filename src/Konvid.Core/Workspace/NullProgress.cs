namespace Konvid.Core.Workspace;

/// <summary>A reporter that drops everything; for library callers and tests that do not watch progress.</summary>
public sealed class NullProgress : IProgressReporter
{
    public static readonly NullProgress Instance = new();

    public IProgressTask Start(string name, long total, string unit) => NullTask.Instance;

    public void Info(string line) { }

    public void Warn(string line) { }

    private sealed class NullTask : IProgressTask
    {
        public static readonly NullTask Instance = new();
        public void Advance(long amount = 1) { }
        public void SetTotal(long total) { }
        public void Dispose() { }
    }
}
