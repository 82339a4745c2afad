using Konvid.Core.Probe;

namespace Konvid.Core.Features;

/// <summary>
/// The one decision on luma/chroma range: the decoder asks ffmpeg for frames in the clip's own range (so full-range video is
/// not squeezed to limited range and back) and stamps each frame with it; every analyzer reads the range from the frame.
/// </summary>
internal static class DecodedRange
{
    /// <summary>
    /// Full range when ffprobe says so (<c>pc</c>/<c>jpeg</c>) or the pixel format is one of swscale's full-range "J" formats
    /// (MJPEG, phones' H.264), which swscale treats as full whatever the tag; everything else is limited, as ffmpeg's siti
    /// assumes. RGB sources (gbrp, bgr0) are converted by swscale into whichever range is asked for, so either is exact.
    /// </summary>
    public static bool IsFull(ProbeResult clip) =>
        clip.ColorRange is "pc" or "jpeg" || clip.PixFmt.StartsWith("yuvj", StringComparison.Ordinal);

    /// <summary>
    /// The 8-bit 4:2:0 format to ask ffmpeg for: <c>yuvj420p</c> makes swscale deliver full range (converting limited or RGB
    /// input, passing full-range input through), <c>yuv420p</c> limited range; the bytes are laid out the same.
    /// </summary>
    public static string PixelFormat(bool fullRange) => fullRange ? "yuvj420p" : "yuv420p";
}
