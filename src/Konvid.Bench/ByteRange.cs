using System.Globalization;

namespace Konvid.Bench;

/// <summary>
/// One HTTP byte range resolved against a file's length (RFC 9110 14.1.2): <c>bytes=a-b</c> (b clipped to the end),
/// <c>bytes=a-</c> and the suffix form <c>bytes=-n</c>. A header that is absent, malformed or asks for several ranges
/// is ignored (null: the whole file, 200); one that starts past the end is not satisfiable (416).
/// </summary>
public sealed record ByteRange(long From, long To, bool Satisfiable)
{
    public static ByteRange? Parse(string? header, long length)
    {
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        var spec = header["bytes=".Length..].Trim();
        if (spec.Contains(',')) return null;
        var dash = spec.IndexOf('-');
        if (dash < 0) return null;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            if (!TryParse(last, out var suffix)) return null;
            if (suffix == 0 || length == 0) return new ByteRange(0, -1, false);
            return new ByteRange(Math.Max(0, length - suffix), length - 1, true);
        }
        if (!TryParse(first, out var from)) return null;
        long to = length - 1;
        if (last.Length > 0)
        {
            if (!TryParse(last, out to) || to < from) return null;
            to = Math.Min(to, length - 1);
        }
        return from >= length ? new ByteRange(from, -1, false) : new ByteRange(from, to, true);
    }

    private static bool TryParse(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
