using System.Globalization;
using System.Text.RegularExpressions;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>What a votes file says about one clip's ratings.</summary>
internal sealed record VoteSummary(int NRatings, double StdDev);

/// <summary>A votes file read: per join key, and the shape the sniffer recognised (or why it recognised none).</summary>
internal sealed record VotesResult(IReadOnlyDictionary<string, VoteSummary> ByKey, string Shape, bool Recognised);

/// <summary>
/// KonViD-150k's votes files have undocumented columns, so this sniffs and never assumes: a per-vote table
/// (id, score: one row per rating), a wide table (id, vote_1..vote_k), or per-clip aggregates (id, n, sd).
/// Only what the columns really allow is filled; an unrecognised file fills nothing and says so.
/// Aggregation is streaming (count, mean, M2 per clip), so a 94 MB file never sits in memory.
/// </summary>
internal static partial class VotesReader
{
    private static readonly string[] IdNames = ["video_name", "file_name", "flickr_id", "video_id", "video", "name", "clip", "stimulus", "id"];
    private static readonly string[] VoteNames = ["score", "vote", "rating", "ratings", "votes", "value", "answer", "video_score"];

    public static async Task<VotesResult> ReadAsync(string path, CancellationToken ct = default)
    {
        var acc = new Dictionary<string, Welford>(StringComparer.Ordinal);
        var aggregates = new Dictionary<string, VoteSummary>(StringComparer.Ordinal);
        Shape? shape = null;
        await foreach (var record in CsvRecordReader.ReadAsync(path, ct))
        {
            if (shape is null)
            {
                shape = Sniff(record.Fields, out var isHeader);
                if (!shape.Recognised) return new VotesResult(aggregates, shape.Description, false);
                if (isHeader) continue;
            }
            var f = record.Fields;
            if (shape.Id >= f.Count) continue;
            var key = ClipKey.Of(f[shape.Id]);
            if (key.Length == 0) continue;
            if (shape.Aggregate)
            {
                var n = shape.RatingsCol >= 0 && Num(f, shape.RatingsCol) is { } nv && nv >= 0 && nv == Math.Floor(nv) ? (int)nv : 0;
                var sd = shape.StdDevCol >= 0 && Num(f, shape.StdDevCol) is { } sv && sv >= 0 ? sv : 0.0;
                aggregates.TryAdd(key, new VoteSummary(n, sd));
                continue;
            }
            ref var w = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(acc, key, out _);
            foreach (var col in shape.VoteCols)
                if (Num(f, col) is { } v && v is >= ScoreReader.MosMin and <= ScoreReader.MosMax) w.Add(v);
        }
        if (shape is null) return new VotesResult(aggregates, "empty file", false);
        foreach (var (key, w) in acc)
            if (w.Count > 0) aggregates[key] = new VoteSummary(w.Count, w.SampleStdDev);
        return new VotesResult(aggregates, shape.Description, true);
    }

    private static double? Num(IReadOnlyList<string> f, int i) =>
        i < f.Count && double.TryParse(f[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private static Shape Sniff(IReadOnlyList<string> first, out bool isHeader)
    {
        var names = first.Select(ScoreLayouts.Norm).ToList();
        int Find(string[] aliases) => aliases.Select(a => names.IndexOf(a)).FirstOrDefault(i => i >= 0, -1);
        var id = Find(IdNames);
        isHeader = id >= 0 || names.Any(n => VoteNames.Contains(n));
        var all = string.Join(',', first);
        if (!isHeader)
        {
            var numericRest = first.Count >= 2 && Enumerable.Range(1, first.Count - 1).All(i => Num(first, i) is not null);
            return numericRest
                ? new Shape(true, first.Count == 2 ? "header-less per-vote table (name, score)" : $"header-less wide table (name + {first.Count - 1} votes)",
                    0, false, -1, -1, [.. Enumerable.Range(1, first.Count - 1)])
                : Unrecognised($"no header and no (name, numbers...) row: '{all}'");
        }
        if (id < 0) return Unrecognised($"no clip column in header '{all}'");
        var n = Find(ScoreColumns.RatingsNames);
        var sd = Find(ScoreColumns.StdDevNames);
        if (n >= 0 || sd >= 0)
            return new Shape(true, $"per-clip aggregates ({(n >= 0 ? names[n] : "no count")}, {(sd >= 0 ? names[sd] : "no sd")})", id, true, n, sd, []);
        var vote = Find(VoteNames);
        if (vote >= 0) return new Shape(true, $"per-vote table ({names[id]}, {names[vote]})", id, false, -1, -1, [vote]);
        var wide = Enumerable.Range(0, names.Count).Where(i => WideVoteName().IsMatch(names[i])).ToArray();
        return wide.Length > 0
            ? new Shape(true, $"wide table ({names[id]} + {wide.Length} vote columns)", id, false, -1, -1, wide)
            : Unrecognised($"no vote, count or sd column in header '{all}'");
    }

    private static Shape Unrecognised(string why) => new(false, why, -1, false, -1, -1, []);

    [GeneratedRegex(@"^(?:vote|rating|score|v|r)?_?\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex WideVoteName();

    private sealed record Shape(bool Recognised, string Description, int Id, bool Aggregate, int RatingsCol, int StdDevCol, int[] VoteCols);

    /// <summary>Running mean and squared deviations (Welford), so the spread of a million votes needs three numbers per clip.</summary>
    private struct Welford
    {
        public int Count;
        private double _mean, _m2;

        public void Add(double x)
        {
            Count++;
            var d = x - _mean;
            _mean += d / Count;
            _m2 += d * (x - _mean);
        }

        /// <summary>Sample standard deviation (n - 1), as a published per-clip SD of ratings is; 0 for a single vote.</summary>
        public readonly double SampleStdDev => Count > 1 ? Math.Sqrt(_m2 / (Count - 1)) : 0.0;
    }
}
