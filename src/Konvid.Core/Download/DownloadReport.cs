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
}
