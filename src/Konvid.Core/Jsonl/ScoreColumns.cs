namespace Konvid.Core.Jsonl;

/// <summary>
/// Where a score file keeps each value, found by header name case-insensitively, whatever its layout: every
/// layout of KONVID.md is some subset of these columns under one of their aliases.
/// </summary>
internal sealed record ScoreColumns(int FlickrId, int Name, int Mos, int StdDev, int Ratings, int Width, string WidthFrom = "the header")
{
    internal static readonly string[] NameNames = ["file_name", "video_name", "filename", "path"];
    internal static readonly string[] MosNames = ["mos", "video_score"]; // in preference order: k150kb has both
    internal static readonly string[] StdDevNames = ["sd", "mos_std", "mos_std_dev", "std"];
    internal static readonly string[] RatingsNames = ["n", "num_ratings", "n_ratings"];
    internal static readonly string[] UrlNames = ["url", "download_url", "video_url"];

    internal static readonly HashSet<string> KnownNames =
        [.. NameNames, .. MosNames, .. StdDevNames, .. RatingsNames, .. UrlNames, "flickr_id", "download_id"];

    /// <summary>Where the header-less layouts keep their values; null for layouts that always have a header.</summary>
    internal static ScoreColumns? Headerless(ScoreLayout layout) => layout switch
    {
        ScoreLayout.K150kA => new(-1, 0, 1, -1, -1, 2, "layout k150k-a"),
        ScoreLayout.FlickrMosFramerate => new(0, -1, 1, -1, -1, 3, "layout flickr-mos-framerate"),
        ScoreLayout.PathDurationFpsMos => new(-1, 0, 3, -1, -1, 4, "layout path-duration-fps-mos"),
        _ => null,
    };

    internal static ScoreColumns FromHeader(IReadOnlyList<string> header)
    {
        var names = header.Select(ScoreLayouts.Norm).ToList();
        int Find(params string[] aliases) =>
            aliases.Select(a => names.IndexOf(a)).FirstOrDefault(i => i >= 0, -1);
        return new ScoreColumns(Find("flickr_id"), Find(NameNames), Find(MosNames), Find(StdDevNames), Find(RatingsNames), header.Count);
    }
}
