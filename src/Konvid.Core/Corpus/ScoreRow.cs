namespace Konvid.Core.Corpus;

/// <summary>
/// One data row of a score file: the id as the file spells it (flickr id or video name), the key it joins
/// clips on (<see cref="ClipKey"/>), and its label, or the <see cref="Problem"/> that makes it attrition.
/// Unpublished SD and rating counts are null.
/// </summary>
public sealed record ScoreRow(string File, long Line, string Id, string Key, double Mos, double? MosStdDev, int? NRatings, string? Problem)
{
    public bool Ok => Problem is null;

    public string Origin => $"{File}:{Line}";
}
