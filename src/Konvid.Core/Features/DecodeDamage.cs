using Konvid.Core.Probe;
using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>
/// Whether a clip ffmpeg decoded (exit code 0) is whole. Truncated: the file ends before its video does. Corrupt: the
/// decoder reported errors in the content (frames concealed or dropped), which a MOS rated on the intact clip does not
/// describe. Either makes the clip attrition with a reason starting with that word; a clip with neither is measured.
/// </summary>
internal static class DecodeDamage
{
    /// <summary>The demuxers' words for a file that ends before its stream: mov's sample table pointing past the end, Matroska's cut cluster.</summary>
    private static readonly string[] EndsEarly = ["partial file", "File ended prematurely"];

    /// <summary>Below this share of the frames the header declares, a clip that decoded silently was cut short (edit lists and VFR move the count by a few frames, never by a tenth).</summary>
    private const double ShortShare = 0.9;

    public static void ThrowIfDamaged(ProbeResult probe, int frames, IReadOnlyList<string> errors)
    {
        long? declared = probe.FrameCount is > 0 and var n ? n : null;
        var counted = declared is { } d ? $"{frames} of the {d} frames its header declares decoded" : $"{frames} frames decoded";
        var endsEarly = errors.Any(e => EndsEarly.Any(m => e.Contains(m, StringComparison.Ordinal)));
        // A file cut after its header (faststart MP4) may decode without a word, just fewer frames than it declares.
        if (endsEarly || (errors.Count == 0 && declared is { } expected && frames < ShortShare * expected))
            throw new KonvidException($"truncated: the file ends before its video does ({counted})",
                "it was cut short at the source or in a transfer; it stays out of the corpus. With a whole copy: replace the file, " +
                "delete its line in manifest.sha256 and run Verify (Download would bring back the bytes the manifest pinned)");
        if (errors.Count > 0)
            throw new KonvidException(
                $"corrupt: the decoder reported {errors.Count} error{(errors.Count == 1 ? "" : "s")} ({counted}; first: {errors[0]})",
                "its content is damaged; a new download brings the same bytes (manifest.sha256 pins them), so it stays out of the corpus " +
                "unless you replace it with a sound copy and delete its line in manifest.sha256");
    }
}
