using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>Losses of one stage, as attrition.csv holds them.</summary>
public sealed record StageLoss(Stage Stage, int Count);

/// <summary>
/// What a Jsonl run produced: rows written, labels read, clips in the manifest, every stage's attrition entries
/// (<see cref="TotalLosses"/> of them), and the attrition rate: <see cref="Lost"/> clips or labels, each counted once
/// however many entries name it (a clip and its label are one), over rows + lost. <see cref="RowsCopied"/> of the rows had
/// the inputs they had in the previous corpus and were copied from it (<see cref="RowIndex"/>), the rest rendered.
/// </summary>
public sealed record JsonlReport(
    string CorpusPath,
    int RowsWritten,
    int Labels,
    int Clips,
    IReadOnlyList<StageLoss> Losses,
    int TotalLosses,
    double AttritionPercent,
    int Lost,
    int RowsCopied);
