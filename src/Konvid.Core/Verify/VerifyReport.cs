using Konvid.Core.Workspace;

namespace Konvid.Core.Verify;

/// <summary>
/// What one Verify run found: clips on disk, how many were hashed or trusted unchanged, what was lost, and the archives
/// deleted because every clip they held is extracted and verified.
/// </summary>
public sealed record VerifyReport(
    int Clips,
    int Hashed,
    int Unchanged,
    int Added,
    int Quarantined,
    int Missing,
    long BytesHashed,
    IReadOnlyList<AttritionEntry> Attrition,
    IReadOnlyList<string> ArchivesDeleted,
    long BytesFreed)
{
    /// <summary>
    /// What the run changed on disk: the manifest, its state, the deleted archives and its losses; clips/ only when a
    /// clip was moved to quarantine, so a build need not list 150,000 clips again after a run that kept them all.
    /// </summary>
    public IReadOnlyList<string> Changed(CorpusLayout layout) => Quarantined > 0
        ? [layout.Clips, layout.Quarantine, layout.Downloads, layout.Manifest, layout.VerifyState, layout.AttritionParts, layout.Attrition]
        : [layout.Downloads, layout.Manifest, layout.VerifyState, layout.AttritionParts, layout.Attrition];
}
