namespace Konvid.Core.Corpora;

/// <summary>One generated clip: which scene and distortion it is, its measured SSIM against the scene, and its MOS.</summary>
public sealed record SampleClip(
    long FlickrId,
    int DownloadId,
    string Scene,
    string Variant,
    int Width,
    int Height,
    string FrameRate,
    double Seconds,
    double Ssim,
    double Mos)
{
    /// <summary>The name inside KoNViD_1k_videos.zip, as in the current real zip.</summary>
    public string FileName => $"{FlickrId}.mp4";

    /// <summary>The <c>file_name</c> column of the attributes CSV: the historical name, as in the real file.</summary>
    public string HistoricalFileName => $"{FlickrId}_original_centercrop_960x540_8s.mp4";
}
