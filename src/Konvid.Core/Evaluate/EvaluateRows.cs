namespace Konvid.Core.Evaluate;

/// <summary>Which rows of the corpus Evaluate scores: its held-out fold (same-corpus checks) or every row (cross-corpus).</summary>
public enum EvaluateRows
{
    Heldout,
    All,
}
