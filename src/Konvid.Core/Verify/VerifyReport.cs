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
    long BytesFreed);
