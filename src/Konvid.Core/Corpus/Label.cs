namespace Konvid.Core.Corpus;

/// <summary>One usable label: the id as its score file spells it, its MOS, and SD / rating count where published.</summary>
public sealed record Label(string Id, double Mos, double? MosStdDev, int? NRatings, string Origin);
