namespace Konvid.Core.Jsonl;

/// <summary>
/// One data row of a score file: the id as the file spells it (flickr id or video name), the key it joins
/// clips on (<see cref="ClipKey"/> of its file name, else its flickr id), and its label, or the <see cref="Problem"/>
/// that makes it attrition. <see cref="AltKey"/> is the flickr id where it differs from the name's key, so a clip
/// named either way finds the label. Unpublished SD and rating counts are null. <see cref="MosDecimals"/> is how
/// precisely the file writes the MOS, so of two files that both publish it the exact one wins.
/// </summary>
internal sealed record ScoreRow(string File, long Line, string Id, string Key, string? AltKey, double Mos, double? MosStdDev, int? NRatings, string? Problem,
    int MosDecimals)
{
    public bool Ok => Problem is null;

    public string Origin => $"{File}:{Line}";
}
