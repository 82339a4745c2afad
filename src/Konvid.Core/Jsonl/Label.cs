namespace Konvid.Core.Jsonl;

/// <summary>
/// One usable label: the id as its score file spells it, its join key (and flickr id where that differs), its MOS,
/// and SD / rating count where published.
/// </summary>
internal sealed record Label(string Id, string Key, string? AltKey, double Mos, double? MosStdDev, int? NRatings, string Origin);
