using System.Globalization;
using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Workspace;

namespace Konvid.Core.Probe;

/// <summary>
/// The reference path: one <c>ffprobe -show_streams -show_format -of json</c> per clip through CliWrap.
/// FFMpegCore is not used here because its model drops the display-matrix rotation of side data and
/// replaces ffprobe's own error text, both of which Probe must keep.
/// </summary>
internal static class FfprobeReader
{
    public static async Task<ProbeResult> ProbeAsync(string path, string src, string sha256, long size, CancellationToken ct)
    {
        // "file:" keeps names with leading dashes or colons from being read as options or protocols.
        var input = "file:" + Path.GetFullPath(path);
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-v", "error", "-show_streams", "-show_format", "-of", "json", input])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, ct);
        if (result.ExitCode != 0)
            return new ProbeResult(src, sha256, size, Error: ToolMessage.OneLine(result.StandardError, input, src, $"ffprobe exited with code {result.ExitCode}"));
        try
        {
            return FromJson(result.StandardOutput, src, sha256, size);
        }
        catch (JsonException e)
        {
            return new ProbeResult(src, sha256, size, Error: $"ffprobe printed unreadable JSON: {e.Message}");
        }
    }

    /// <summary>The fields of the first video stream (not a cover picture) of ffprobe's JSON, or an error when there is none.</summary>
    public static ProbeResult FromJson(string json, string src, string sha256, long size)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f : default;
        JsonElement? video = null;
        if (root.TryGetProperty("streams", out var streams))
            foreach (var s in streams.EnumerateArray())
                if (Str(s, "codec_type") == "video" && !IsAttachedPicture(s)) { video = s; break; }
        if (video is not { } v)
            return new ProbeResult(src, sha256, size, Error: "no video stream (audio-only or not a video file)");

        var framerate = Rate(Str(v, "avg_frame_rate"));
        if (framerate <= 0) framerate = Rate(Str(v, "r_frame_rate"));
        var duration = Num(Str(v, "duration")) ?? (format.ValueKind == JsonValueKind.Object ? Num(Str(format, "duration")) : null) ?? 0;
        long? bitRate = Long(Str(v, "bit_rate")) ?? (format.ValueKind == JsonValueKind.Object ? Long(Str(format, "bit_rate")) : null);
        return new ProbeResult(src, sha256, size,
            Width: Int(v, "width"), Height: Int(v, "height"), Framerate: framerate, DurationS: duration,
            PixFmt: Str(v, "pix_fmt") ?? "", CodecName: Str(v, "codec_name") ?? "",
            FrameCount: Long(Str(v, "nb_frames")), BitRate: bitRate, Rotation: Rotation(v),
            ColorRange: Str(v, "color_range"), ColorTransfer: Str(v, "color_transfer"));
    }

    /// <summary>The display matrix's rotation (side data) or, for files written by old muxers, the "rotate" tag.</summary>
    public static int Rotation(JsonElement stream)
    {
        if (stream.TryGetProperty("side_data_list", out var sides))
            foreach (var side in sides.EnumerateArray())
                if (side.TryGetProperty("rotation", out var r))
                    return (int)Math.Round(r.ValueKind == JsonValueKind.Number ? r.GetDouble() : Num(r.GetString()) ?? 0);
        if (stream.TryGetProperty("tags", out var tags) && Str(tags, "rotate") is { } tag && Num(tag) is { } deg)
            return (int)Math.Round(deg);
        return 0;
    }

    /// <summary>"30000/1001" as 29.97; "0/0" (unknown) as 0.</summary>
    public static double Rate(string? text)
    {
        if (text is null) return 0;
        var slash = text.IndexOf('/');
        if (slash < 0) return Num(text) ?? 0;
        var num = Num(text[..slash]);
        var den = Num(text[(slash + 1)..]);
        return num is { } n && den is { } d && d != 0 ? n / d : 0;
    }

    private static bool IsAttachedPicture(JsonElement s) =>
        s.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.ValueKind == JsonValueKind.Number && a.GetInt32() == 1;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) ? p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Number => p.GetRawText(),
            _ => null,
        } : null;

    private static int Int(JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 0;

    private static double? Num(string? s) =>
        s is not null && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;

    private static long? Long(string? s) => s is not null && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;
}
