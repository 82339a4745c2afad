using System.Globalization;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>The score-file layouts of KONVID.md; the catalog names them in kebab-case or says "auto".</summary>
public enum ScoreLayout
{
    /// <summary>KoNViD_1k_attributes.csv: <c>flickr_id,download_id,file_name,MOS,ti,si,...</c></summary>
    Konvid1kAttributes,

    /// <summary>KoNViD_1k_mos.csv: <c>flickr_id,mos</c></summary>
    Konvid1kMos,

    /// <summary>Third-party copies: <c>file_name,MOS,SD,n,flickr_id</c> or aliases (<c>video_name</c>, <c>mos_std</c>, <c>num_ratings</c>).</summary>
    Redistribution,

    /// <summary>k150ka_scores.csv: <c>video_name,video_score</c>, with or without a header row.</summary>
    K150kA,

    /// <summary>k150kb_scores.csv: <c>video_name,mos,video_score</c>; <c>mos</c> wins.</summary>
    K150kB,

    /// <summary>A mirror's per-clip list: <c>file_name,url,MOS,SD,n,flickr_id</c> (url may be <c>download_url</c>, <c>video_url</c>).</summary>
    UrlManifest,

    /// <summary>Public training code's KoNViD-1k list without header: <c>flickr_id,mos,framerate</c>.</summary>
    FlickrMosFramerate,

    /// <summary>Public training code's label lists (FAST-VQA, DOVER) without header: <c>path, duration, fps, mos</c>.</summary>
    PathDurationFpsMos,
}

public static class ScoreLayouts
{
    public const string Auto = "auto";

    private static readonly (string Name, ScoreLayout Layout)[] Names =
    [
        ("konvid-1k-attributes", ScoreLayout.Konvid1kAttributes), ("konvid-1k-mos", ScoreLayout.Konvid1kMos),
        ("redistribution", ScoreLayout.Redistribution), ("k150k-a", ScoreLayout.K150kA), ("k150k-b", ScoreLayout.K150kB),
        ("url-manifest", ScoreLayout.UrlManifest), ("flickr-mos-framerate", ScoreLayout.FlickrMosFramerate),
        ("path-duration-fps-mos", ScoreLayout.PathDurationFpsMos),
    ];

    /// <summary>What each layout looks like, for the message that lists them when a file fits none.</summary>
    private static readonly Dictionary<ScoreLayout, string> Shapes = new()
    {
        [ScoreLayout.Konvid1kAttributes] = "flickr_id,download_id,file_name,MOS,...",
        [ScoreLayout.Konvid1kMos] = "flickr_id,mos",
        [ScoreLayout.Redistribution] = "file_name,MOS,SD,n,flickr_id or aliases",
        [ScoreLayout.K150kA] = "video_name,video_score, header optional",
        [ScoreLayout.K150kB] = "video_name,mos,video_score",
        [ScoreLayout.UrlManifest] = "file_name,url,MOS,...",
        [ScoreLayout.FlickrMosFramerate] = "flickr_id,mos,framerate without header",
        [ScoreLayout.PathDurationFpsMos] = "path, duration, fps, mos without header",
    };

    /// <summary>Every layout with its shape, in one line: "konvid-1k-mos (flickr_id,mos), ...".</summary>
    public static string Described => string.Join(", ", Names.Select(n => $"{n.Name} ({Shapes[n.Layout]})"));

    /// <summary>Null for "auto" (sniff the header); a KonvidException for a name no reader knows.</summary>
    public static ScoreLayout? Parse(string name, string origin)
    {
        if (string.Equals(name, Auto, StringComparison.OrdinalIgnoreCase)) return null;
        foreach (var (n, layout) in Names)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return layout;
        throw new KonvidException($"{origin}: score layout '{name}' is unknown",
            $"use one of: {Auto}, {string.Join(", ", Names.Select(n => n.Name))}");
    }

    public static string NameOf(ScoreLayout layout) => Names.First(n => n.Layout == layout).Name;

    /// <summary>
    /// The layout a first record announces. A record naming no known column is a data row, and only the header-less
    /// shapes that cannot be mistaken for one another are recognised: two fields (name, score: KonViD-150k's A file is
    /// published with and without a header), three whose last is a frame rate rather than a 1-5 score
    /// (flickr_id,mos,framerate), four whose third is a frame rate (path, duration, fps, mos; not file_name,MOS,SD,n
    /// without its header). Anything else without a header is null.
    /// </summary>
    public static ScoreLayout? Detect(IReadOnlyList<string> first, out bool hasHeader)
    {
        var names = first.Select(Norm).ToHashSet(StringComparer.Ordinal);
        hasHeader = names.Overlaps(ScoreColumns.KnownNames);
        if (!hasHeader)
        {
            var numbers = first.Skip(1).Select(f => double.TryParse(f.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null).ToList();
            if (numbers.Count == 0 || numbers.Any(n => n is null)) return null;
            return first.Count switch
            {
                2 => ScoreLayout.K150kA,
                3 when numbers[1] > ScoreReader.MosMax => ScoreLayout.FlickrMosFramerate,
                4 when numbers[1] > ScoreReader.MosMax => ScoreLayout.PathDurationFpsMos,
                _ => null,
            };
        }
        if (ScoreColumns.UrlNames.Any(names.Contains)) return ScoreLayout.UrlManifest;
        if (names.Contains("flickr_id") && names.Contains("download_id")) return ScoreLayout.Konvid1kAttributes;
        if (names.Contains("flickr_id") && names.Contains("mos") && names.Count == 2) return ScoreLayout.Konvid1kMos;
        if (names.Contains("video_name") && names.Contains("video_score"))
            return names.Contains("mos") ? ScoreLayout.K150kB : ScoreLayout.K150kA;
        if ((ScoreColumns.NameNames.Any(names.Contains) || names.Contains("flickr_id")) && names.Contains("mos"))
            return ScoreLayout.Redistribution;
        return null;
    }

    internal static string Norm(string header) => header.Trim().ToLowerInvariant();
}
