namespace Konvid.Core.Modeling;

/// <summary>The encoder vocabulary (version 4) the corpus rows' <c>encoder_slot</c> is drawn from, recorded in every card.</summary>
public static class EncoderVocab
{
    public const int Version = 4;

    public static readonly IReadOnlyList<string> Names =
    [
        "libx264", "libaom-av1", "libx265", "h264_nvenc", "hevc_nvenc", "av1_nvenc", "h264_amf", "hevc_amf", "av1_amf",
        "h264_qsv", "hevc_qsv", "av1_qsv", "libvvenc", "libsvtav1", "h264_videotoolbox", "hevc_videotoolbox", "ugc-mixed",
    ];
}
