using Konvid.Core.Workspace;

namespace Konvid.Core.Download;

/// <summary>Feeds one progress bar from one or many concurrent transfers: expected bytes grow as lengths become known.</summary>
internal sealed class TransferMeter(IProgressTask task)
{
    private long _expected;

    public void Expect(long bytes)
    {
        if (bytes > 0) task.SetTotal(Interlocked.Add(ref _expected, bytes));
    }

    public void Advance(long bytes) => task.Advance(bytes);
}
