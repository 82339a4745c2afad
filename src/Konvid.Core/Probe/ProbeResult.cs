using System.Text.Json.Serialization;

namespace Konvid.Core.Probe;

/// <summary>
/// What Probe learned of one clip: the reference row's fields plus extras. <see cref="Error"/> is set instead
/// of the geometry when the clip could not be probed (ffprobe's message), which makes it attrition.
/// </summary>
public sealed record ProbeResult(
    [property: JsonPropertyName("src")] string Src,
    [property: JsonPropertyName("src_sha256")] string SrcSha256,
    [property: JsonPropertyName("src_size_bytes")] long SrcSizeBytes,
    [property: JsonPropertyName("width")] int Width = 0,
    [property: JsonPropertyName("height")] int Height = 0,
    [property: JsonPropertyName("framerate")] double Framerate = 0,
    [property: JsonPropertyName("duration_s")] double DurationS = 0,
    [property: JsonPropertyName("pix_fmt")] string PixFmt = "",
    [property: JsonPropertyName("codec_name")] string CodecName = "",
    [property: JsonPropertyName("frame_count")] long? FrameCount = null,
    [property: JsonPropertyName("bit_rate")] long? BitRate = null,
    [property: JsonPropertyName("rotation")] int Rotation = 0,
    [property: JsonPropertyName("color_range")] string? ColorRange = null,
    [property: JsonPropertyName("color_transfer")] string? ColorTransfer = null,
    [property: JsonPropertyName("error")] string? Error = null)
{
    [JsonIgnore]
    public bool Ok => Error is null;

    /// <summary>Width as the clip is displayed: the stored height when <see cref="Rotation"/> is a quarter turn.</summary>
    [JsonIgnore]
    public int DisplayWidth => QuarterTurn ? Height : Width;

    /// <summary>Height as the clip is displayed: the stored width when <see cref="Rotation"/> is a quarter turn.</summary>
    [JsonIgnore]
    public int DisplayHeight => QuarterTurn ? Width : Height;

    private bool QuarterTurn => (Rotation % 180 + 180) % 180 == 90;
}
