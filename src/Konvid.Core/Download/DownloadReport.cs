using Konvid.Core.Workspace;

namespace Konvid.Core.Download;

/// <summary>
/// What one Download run left on disk. Items are clips of per-clip lists, file entries of archives and single files;
/// a source that could not be fetched counts as one lost item.
/// </summary>
public sealed record DownloadReport(
    int Items,
    int Present,
    int Fetched,
    int Skipped,
    int FailedPermanent,
    int FailedTransient,
    int EntriesExtracted,
    int EntriesRefused,
    int OptionalMissing,
    long BytesFetched,
    IReadOnlyList<AttritionEntry> Attrition)
{
    public int Lost => FailedPermanent + FailedTransient + EntriesRefused;

    public double AttritionPercent => Items == 0 ? 0 : 100.0 * Lost / Items;

    /// <summary>
    /// What the run changed on disk: its ledger and losses always; downloads/, clips/ and metadata/ only when it fetched or
    /// extracted something, so a build need not list 150,000 clips again after a run that found them all present.
    /// </summary>
    public IReadOnlyList<string> Changed(CorpusLayout layout) => Fetched + EntriesExtracted > 0
        ? [layout.Downloads, layout.Clips, layout.Metadata, layout.DownloadProgress, layout.AttritionParts, layout.Attrition]
        : [layout.DownloadProgress, layout.AttritionParts, layout.Attrition];
}
