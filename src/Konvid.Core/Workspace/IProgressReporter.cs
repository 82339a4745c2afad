namespace Konvid.Core.Workspace;

/// <summary>The one channel through which stages report progress and notable events.</summary>
public interface IProgressReporter
{
    /// <summary>Starts a measured piece of work; <paramref name="unit"/> is "clips", "bytes", "rows"...</summary>
    IProgressTask Start(string name, long total, string unit);

    void Info(string line);

    void Warn(string line);
}

public interface IProgressTask : IDisposable
{
    void Advance(long amount = 1);

    /// <summary>Corrects the total when it becomes known late (e.g. Content-Length of a download).</summary>
    void SetTotal(long total);
}
