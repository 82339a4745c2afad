namespace Konvid.Core.Tests.Support;

/// <summary>A score file in one of KONVID.md's layouts, with the clips (paths under clips/) that its labels belong to.</summary>
public sealed record CorpusScoreFile(string Name, string FileName, string Text, bool Bom, string[] Clips)
{
    /// <summary>The corpus the layout belongs to, as the catalog names it.</summary>
    public string Corpus => Name.StartsWith("konvid-1k") || Name.StartsWith("redistribution") ? "konvid-1k" : "konvid-150k";

    public override string ToString() => Name;
}

/// <summary>
/// One small file per real layout, written the way the published files are (KoNViD-1k's real header, BOM and
/// CRLF as Windows tools leave them, quoted fields as spreadsheet exports write them, the A file without header).
/// </summary>
public static class CorpusScoreFiles
{
    public static readonly CorpusScoreFile Konvid1kAttributes = new("konvid-1k-attributes", "KoNViD_1k_attributes.csv",
        "flickr_id,download_id,file_name,MOS,ti,si,colorfulness,contrast,blur,vniqe\r\n" +
        "8536919744,1015445,8536919744_original_centercrop_960x540_8s.mp4,1.22,11.2,51.7,0.31,0.42,0.12,3.4\r\n" +
        "3339962845,1002342,3339962845_original_centercrop_960x540_8s.mp4,4.64,8.1,61.2,0.22,0.51,0.08,2.9\r\n" +
        "5049868366,1000864,5049868366_original_centercrop_960x540_8s.mp4,3.1,20.5,40.0,0.4,0.33,0.2,3.9\r\n",
        Bom: true,
        // Every historical name of a KoNViD-1k clip: the current zip's, the cut and the original centre crop.
        ["KoNViD_1k_videos/8536919744.mp4", "KoNViD_1k_videos/3339962845_cut_centercrop_960x540_8s.mp4",
         "KoNViD_1k_videos/5049868366_original_centercrop_960x540_8s.mp4"]);

    public static readonly CorpusScoreFile Konvid1kMos = new("konvid-1k-mos", "KoNViD_1k_mos.csv",
        "flickr_id,mos\n8536919744,1.22\n3339962845,4.64\n5049868366,3.1\n", Bom: false,
        ["KoNViD_1k_videos/8536919744.mp4", "KoNViD_1k_videos/3339962845.mp4", "KoNViD_1k_videos/5049868366.mp4"]);

    public static readonly CorpusScoreFile Redistribution = new("redistribution", "konvid1k_scores.csv",
        "file_name,MOS,SD,n,flickr_id\r\n" +
        "\"8536919744_original_centercrop_960x540_8s.mp4\",\"1.22\",\"0.5126\",\"114\",8536919744\r\n" +
        "3339962845_original_centercrop_960x540_8s.mp4,4.64,0.48,\"115\",3339962845\r\n" +
        "5049868366_original_centercrop_960x540_8s.mp4,3.1,0.77,120,5049868366\r\n",
        Bom: true,
        ["KoNViD_1k_videos/8536919744.mp4", "KoNViD_1k_videos/3339962845.mp4", "KoNViD_1k_videos/5049868366.mp4"]);

    public static readonly CorpusScoreFile RedistributionAliases = new("redistribution-aliases", "konvid1k_aliases.csv",
        "Video_Name,Mos,MOS_STD,Num_Ratings\n" +
        "8536919744.mp4,1.22,0.5126,114\n3339962845.mp4,4.64,0.48,115\n5049868366.mp4,3.1,0.77,120\n", Bom: false,
        ["KoNViD_1k_videos/8536919744.mp4", "KoNViD_1k_videos/3339962845.mp4", "KoNViD_1k_videos/5049868366.mp4"]);

    public static readonly CorpusScoreFile K150kAHeaderless = new("k150k-a-headerless", "k150ka_scores.csv",
        "orig_10000347_540_5s,3.2608\r\norig_10000409_540_5s,2.4\r\norig_10001015_540_5s,4.0\r\n", Bom: false,
        ["k150ka/orig_10000347_540_5s.mp4", "k150ka/orig_10000409_540_5s.mp4", "k150ka/orig_10001015_540_5s.mp4"]);

    public static readonly CorpusScoreFile K150kAHeader = new("k150k-a-header", "k150ka_scores.csv",
        "video_name,video_score\norig_10000347_540_5s.mp4,3.2608\norig_10000409_540_5s.mp4,2.4\norig_10001015_540_5s.mp4,4.0\n", Bom: true,
        ["k150ka/orig_10000347_540_5s.mp4", "k150ka/orig_10000409_540_5s.mp4", "k150ka/orig_10001015_540_5s.mp4"]);

    /// <summary>B has both mos and video_score, deliberately different here: mos must win.</summary>
    public static readonly CorpusScoreFile K150kB = new("k150k-b", "k150kb_scores.csv",
        "video_name,mos,video_score\r\norig_20000001_540_5s,2.75,2.9\r\norig_20000002_540_5s,3.5,3.2\r\norig_20000003_540_5s,4.125,4.0\r\n", Bom: false,
        ["k150kb/orig_20000001_540_5s.mp4", "k150kb/orig_20000002_540_5s.mp4", "k150kb/orig_20000003_540_5s.mp4"]);

    public static readonly CorpusScoreFile UrlManifest = new("url-manifest", "manifest.csv",
        "file_name,download_url,MOS,SD,n,flickr_id\n" +
        "orig_30000001_540_5s.mp4,\"https://mirror.example/a?x=1,2\",3.3,0.6,5,30000001\n" +
        "orig_30000002_540_5s.mp4,https://mirror.example/b,2.2,0.7,5,30000002\n" +
        "orig_30000003_540_5s.mp4,https://mirror.example/c,1.9,,,30000003\n", Bom: false,
        ["orig_30000001_540_5s.mp4", "orig_30000002_540_5s.mp4", "orig_30000003_540_5s.mp4"]);

    /// <summary>
    /// KoNViD_1k_mos.csv as public repositories republish it: flickr_id written as the clip's file name, ids quoted
    /// (with spaces around the quotes, or single quotes), CRLF and no line break after the last row.
    /// </summary>
    public static readonly CorpusScoreFile Konvid1kMosCopy = new("konvid-1k-mos-copy", "KoNViD_1k_mos.csv",
        "flickr_id,mos\r\n3339962845.mp4,4.64\r\n \"8536919744.mp4\" ,1.22\r\n'5049868366.mp4',\"3.1\"", Bom: false,
        ["KoNViD_1k_videos/8536919744.mp4", "KoNViD_1k_videos/3339962845.mp4", "KoNViD_1k_videos/5049868366.mp4"]);

    /// <summary>KoNViD-1k as public training code lists it: flickr_id,mos,framerate, no header.</summary>
    public static readonly CorpusScoreFile Konvid1kFlickrMosFramerate = new("konvid-1k-flickr-mos-framerate", "konvid1k_labels.csv",
        "8536919744,1.22,29.97002997\n3339962845,4.64,24\n5049868366,3.1,23.976\n", Bom: false,
        ["KoNViD_1k_videos/8536919744.mp4", "KoNViD_1k_videos/3339962845.mp4", "KoNViD_1k_videos/5049868366.mp4"]);

    /// <summary>KoNViD-1k as FAST-VQA/DOVER-style label lists write it: path, duration, fps, mos (", " between fields, no header).</summary>
    public static readonly CorpusScoreFile Konvid1kPathList = new("konvid-1k-path-duration-fps-mos", "labels.txt",
        "KoNViD_1k_videos/8536919744.mp4, 8.0, 29.97002997002997, 1.22\n" +
        "KoNViD_1k_videos/3339962845.mp4, 8.008333, 24.0, 4.64\n" +
        "KoNViD_1k_videos\\5049868366.mp4, 7.999, 23.976023976023978, 3.1\n", Bom: false,
        ["KoNViD_1k_videos/8536919744.mp4", "KoNViD_1k_videos/3339962845.mp4", "KoNViD_1k_videos/5049868366.mp4"]);

    public static readonly CorpusScoreFile[] All =
        [Konvid1kAttributes, Konvid1kMos, Redistribution, RedistributionAliases, K150kAHeaderless, K150kAHeader, K150kB, UrlManifest,
         Konvid1kMosCopy, Konvid1kFlickrMosFramerate, Konvid1kPathList];

    public static TheoryData<string> Names() => new(All.Select(f => f.Name));

    public static CorpusScoreFile Named(string name) => All.Single(f => f.Name == name);
}
