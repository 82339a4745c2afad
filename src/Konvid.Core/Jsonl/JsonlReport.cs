using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>Losses of one stage, as attrition.csv holds them.</summary>
public sealed record StageLoss(Stage Stage, int Count);

/// <summary>
/// What a Jsonl run produced: rows written, labels read, clips in the manifest, every stage's losses, and the
/// attrition rate (losses over rows + losses: each loss is one label or clip that did not become a row).
/// </summary>
public sealed record JsonlReport(
    string CorpusPath,
    int RowsWritten,
    int Labels,
    int Clips,
    IReadOnlyList<StageLoss> Losses,
    int TotalLosses,
    double AttritionPercent);
