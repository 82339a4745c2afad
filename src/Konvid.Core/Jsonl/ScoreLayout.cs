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
}

public static class ScoreLayouts
{
    public const string Auto = "auto";

    private static readonly (string Name, ScoreLayout Layout)[] Names =
    [
        ("konvid-1k-attributes", ScoreLayout.Konvid1kAttributes), ("konvid-1k-mos", ScoreLayout.Konvid1kMos),
        ("redistribution", ScoreLayout.Redistribution), ("k150k-a", ScoreLayout.K150kA), ("k150k-b", ScoreLayout.K150kB),
        ("url-manifest", ScoreLayout.UrlManifest),
    ];

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
    /// The layout a first record announces, or null when it is not a header at all (KonViD-150k's A file is
    /// published both with and without one: two fields, the second a number, is a data row).
    /// </summary>
    public static ScoreLayout? Detect(IReadOnlyList<string> first, out bool hasHeader)
    {
        var names = first.Select(Norm).ToHashSet(StringComparer.Ordinal);
        hasHeader = names.Overlaps(ScoreColumns.KnownNames);
        if (!hasHeader)
            return first.Count == 2 && double.TryParse(first[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? ScoreLayout.K150kA : null;
        if (ScoreColumns.UrlNames.Any(names.Contains)) return ScoreLayout.UrlManifest;
        if (names.Contains("flickr_id") && names.Contains("download_id")) return ScoreLayout.Konvid1kAttributes;
        if (names.Contains("flickr_id") && names.Contains("mos") && names.Count == 2) return ScoreLayout.Konvid1kMos;
        if (names.Contains("video_name") && names.Contains("video_score"))
            return names.Contains("mos") ? ScoreLayout.K150kB : ScoreLayout.K150kA;
        if ((names.Contains("file_name") || names.Contains("video_name") || names.Contains("flickr_id")) && names.Contains("mos"))
            return ScoreLayout.Redistribution;
        return null;
    }

    internal static string Norm(string header) => header.Trim().ToLowerInvariant();
}
