using System.Text.RegularExpressions;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// How much of a corpus was lost, counting each clip or label once: a clip and its label share a join key
/// (<see cref="ClipKey"/>), so a clip lost in Probe and its label with no clip to join are one loss, not two, and an
/// entry whose key became a row anyway (a second label row for a clip that has one) is no loss of data.
/// <see cref="TopReasons"/> counts each lost key under the first stage that lost it.
/// </summary>
internal sealed partial record LossTally(int Rows, int Lost, IReadOnlyList<(string Reason, int Count)> TopReasons)
{
    public int Units => Rows + Lost;

    public double Percent => Units == 0 ? 0 : 100.0 * Lost / Units;

    /// <param name="rowKeys">The join keys of the rows written.</param>
    /// <param name="entries">Attrition entries in pipeline order (as <see cref="AttritionLedger.ReadAllAsync"/> returns them).</param>
    public static LossTally Of(int rows, IReadOnlySet<string> rowKeys, IEnumerable<AttritionEntry> entries)
    {
        var firstByKey = new Dictionary<string, AttritionEntry>(StringComparer.Ordinal);
        foreach (var e in entries)
            if (ClipKey.Of(e.Id) is var key && !rowKeys.Contains(key)) firstByKey.TryAdd(key, e);
        var reasons = firstByKey.Values
            .GroupBy(e => $"{e.Stage}: {Kind(e.Reason)}", StringComparer.Ordinal)
            .Select(g => (Reason: g.Key, Count: g.Count()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();
        return new LossTally(rows, firstByKey.Count, reasons);
    }

    /// <summary>The top reasons in one line: "1,187 Jsonl: no clip for this label; 13 Probe: ffprobe: moov atom not found".</summary>
    public string Reasons(int top = 3) =>
        TopReasons.Count == 0 ? "no attrition entries"
            : string.Join("; ", TopReasons.Take(top).Select(r => $"{r.Count:N0} {r.Reason}")) +
              (TopReasons.Count > top ? $"; {TopReasons.Skip(top).Sum(r => r.Count):N0} other" : "");

    /// <summary>
    /// A reason without what differs from clip to clip (its file:line origin, URLs, parenthesised details, quoted
    /// values, numbers), so that the same cause groups: "scores.csv:7: MOS 7.5 is outside 1-5" is "MOS # is outside #-#",
    /// "HTTP 404 from https://mirror/c1.mp4 (permanent)" is "HTTP # from &lt;url&gt;".
    /// </summary>
    internal static string Kind(string reason)
    {
        var kind = Origin().Replace(reason, "", 1);
        kind = Url().Replace(kind, "<url>");
        kind = Parenthesised().Replace(kind, "");
        kind = Quoted().Replace(kind, "'...'");
        kind = Number().Replace(kind, "#").Trim();
        return kind.Length > 80 ? kind[..77] + "..." : kind;
    }

    [GeneratedRegex(@"^\S+?:\d+: ", RegexOptions.CultureInvariant)]
    private static partial Regex Origin();

    [GeneratedRegex(@"\b[a-z][a-z0-9+.-]*://\S+", RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    [GeneratedRegex(@"\s*\([^()]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"'[^']*'", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b\d+(?:\.\d+)?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
