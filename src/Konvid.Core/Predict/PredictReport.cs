namespace Konvid.Core.Predict;

/// <summary>What a Predict batch did: every clip it tried (in the order given), and how many the --out file already held.</summary>
public sealed record PredictReport(string ModelDir, string Model, IReadOnlyList<ClipScore> Clips, int AlreadyScored, string? OutFile)
{
    public int Failed => Clips.Count(c => !c.Ok);
}
