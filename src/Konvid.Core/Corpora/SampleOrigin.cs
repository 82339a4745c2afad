namespace Konvid.Core.Corpora;

/// <summary>
/// A complete sample origin: the two KoNViD-1k zips in <see cref="Dir"/>, the clips they hold and the mapping that
/// made their labels. <see cref="Generated"/> is false when a complete origin was found and reused.
/// </summary>
public sealed record SampleOrigin(
    string Dir,
    string VideosZip,
    string MetadataZip,
    SampleMosMapping Mapping,
    IReadOnlyList<SampleClip> Clips,
    bool Generated)
{
    /// <summary>What Download takes as <c>--mirror</c> to fetch the sample catalog's relative URLs from here.</summary>
    public string MirrorUrl => new Uri(Path.EndsInDirectorySeparator(Dir) ? Dir : Dir + Path.DirectorySeparatorChar).AbsoluteUri;
}
