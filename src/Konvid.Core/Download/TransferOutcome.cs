namespace Konvid.Core.Download;

/// <summary>How one file transfer ended within a run: fetched, or failed (permanently or for now) after some attempts.</summary>
internal sealed record TransferOutcome(bool Ok, int Attempts, string? Reason, bool Permanent)
{
    public TransferState ToState(TransferState? previous) =>
        new(Ok ? TransferState.Done : TransferState.Failed, Reason, (previous?.Attempts ?? 0) + Attempts, !Ok && Permanent);
}
