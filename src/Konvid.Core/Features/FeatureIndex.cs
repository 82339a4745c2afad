using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>
/// .features-known[.&lt;shard&gt;].tsv in the corpus folder: the cache entries a Features run found holding features,
/// with the size and mtime each had then. The next run takes an entry whose size and mtime are unchanged as holding
/// features instead of opening it (150,000 opens: 1.4 s of every Features run at KonViD-150k's size). Entries holding
/// an error are not listed, so they are always read: they are few, and their reason goes to attrition. A cache: lost,
/// torn or made for another feature set, it costs reads, never a wrong answer. Lines are appended; the last line of a
/// clip wins.
/// </summary>
internal static class FeatureIndex
{
    private const string Magic = "konvid-feature-index 1";

    public static string PathFor(CorpusLayout layout, Shard shard) =>
        Path.Combine(layout.Root, shard.IsAll ? ".features-known.tsv" : $".features-known.{shard.Tag}.tsv");

    public static async Task<IReadOnlyDictionary<string, EntryStamp>> LoadAsync(CorpusLayout layout, Shard shard, bool deep, CancellationToken ct)
    {
        var known = new Dictionary<string, EntryStamp>(StringComparer.Ordinal);
        var path = PathFor(layout, shard);
        if (!File.Exists(path)) return known;
        var bytes = await File.ReadAllBytesAsync(path, ct);
        var text = bytes.AsSpan();
        var header = text.IndexOf((byte)'\n');
        if (header < 0 || Encoding.UTF8.GetString(text[..header]) != Header(deep)) return known;
        text = text[(header + 1)..];
        while (text.Length > 0)
        {
            var end = text.IndexOf((byte)'\n');
            if (end < 0) break; // a torn last line is no entry
            var line = text[..end];
            text = text[(end + 1)..];
            if (line.Length < 68 || line[64] != (byte)'\t') continue;
            var rest = line[65..];
            var tab = rest.IndexOf((byte)'\t');
            if (tab < 0 || !Utf8Parser.TryParse(rest[..tab], out long size, out var a) || a != tab
                || !Utf8Parser.TryParse(rest[(tab + 1)..], out long mtime, out var b) || b != rest.Length - tab - 1) continue;
            known[Encoding.ASCII.GetString(line[..64])] = new EntryStamp(size, mtime);
        }
        return known;
    }

    /// <summary>
    /// Records <paramref name="holding"/> (entries holding features now) over <paramref name="loaded"/> (what the index said):
    /// new or changed entries are appended, so adding a clip does not rewrite 150,000 lines; the file is written anew
    /// when it did not load or once stale lines (entries gone or changed) outnumber a quarter of it.
    /// </summary>
    public static async Task UpdateAsync(CorpusLayout layout, Shard shard, bool deep, IReadOnlyDictionary<string, EntryStamp> loaded,
        IReadOnlyDictionary<string, EntryStamp> holding, CancellationToken ct)
    {
        var fresh = holding.Where(h => !loaded.TryGetValue(h.Key, out var then) || then != h.Value).OrderBy(h => h.Key, StringComparer.Ordinal).ToList();
        var stale = loaded.Count(l => !holding.TryGetValue(l.Key, out var now) || now != l.Value);
        if (fresh.Count == 0 && stale == 0) return;
        var path = PathFor(layout, shard);
        if (loaded.Count == 0 || stale > (loaded.Count + fresh.Count) / 4 || !File.Exists(path))
        {
            var text = new StringBuilder(Header(deep)).Append('\n');
            foreach (var (sha, stamp) in holding.OrderBy(e => e.Key, StringComparer.Ordinal)) Line(text, sha, stamp);
            await AtomicFile.WriteAllTextAsync(path, text.ToString(), ct);
            return;
        }
        var lines = new StringBuilder();
        foreach (var (sha, stamp) in fresh) Line(lines, sha, stamp);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        // A line torn by a crash mid-append is cut off, so the next line starts on a line of its own.
        var keep = file.Length;
        while (keep > 0)
        {
            file.Position = keep - 1;
            if (file.ReadByte() == '\n') break;
            keep--;
        }
        file.SetLength(keep);
        file.Position = keep;
        await file.WriteAsync(Encoding.ASCII.GetBytes(lines.ToString()), ct);
    }

    private static void Line(StringBuilder text, string sha, EntryStamp stamp) =>
        text.Append(sha).Append('\t').Append(stamp.Size.ToString(CultureInfo.InvariantCulture)).Append('\t')
            .Append(stamp.MtimeTicks.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string Header(bool deep) => $"{Magic}\t{ClipFeatures.CurrentSet}\tr{ClipFeatures.Revision}\t{(deep ? DeepFeaturizerTag : "classic")}";

    private static string DeepFeaturizerTag => Deep.DeepFeaturizer.WeightsTag + ".deep";
}
