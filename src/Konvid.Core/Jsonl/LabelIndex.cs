using Konvid.Core.Corpora;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// Every score file of a catalog read into one dictionary by join key (a few hundred bytes per label, the only
/// thing Jsonl holds per clip), with every rejected row kept as a Jsonl loss. Duplicate ids: the first row wins.
/// </summary>
internal sealed class LabelIndex
{
    private readonly Dictionary<string, Label> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _altToKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rejectedKeys = new(StringComparer.Ordinal);
    private readonly List<AttritionEntry> _rejections = [];
    private readonly List<(string File, int Rows)> _files = [];

    public IReadOnlyDictionary<string, Label> ByKey => _byKey;

    /// <summary>The label a clip's key names, directly or through its flickr id.</summary>
    public bool TryFind(string clipKey, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Label? label) =>
        _byKey.TryGetValue(clipKey, out label) ||
        (_altToKey.TryGetValue(clipKey, out var key) && _byKey.TryGetValue(key, out label));

    /// <summary>Keys whose only rows were rejected: their clips are accounted for by the rejection.</summary>
    public IReadOnlySet<string> RejectedKeys => _rejectedKeys;

    public IReadOnlyList<AttritionEntry> Rejections => _rejections;

    /// <summary>Data rows per score file, good or bad: what the label guard counts.</summary>
    public IReadOnlyList<(string File, int Rows)> Files => _files;

    public int LabelRows => _files.Sum(f => f.Rows);

    public static async Task<LabelIndex> LoadAsync(CorpusLayout layout, Catalog catalog, IProgressReporter progress, CancellationToken ct)
    {
        if (catalog.Scores.Count == 0)
            throw new KonvidException($"catalog {catalog.Name} lists no score files", $"add a scores entry to corpora/{catalog.Name}.yaml");
        var index = new LabelIndex();
        for (var i = 0; i < catalog.Scores.Count; i++)
        {
            var score = catalog.Scores[i];
            var declaredAt = $"corpora/{catalog.Name}.yaml scores[{i}]";
            var path = layout.Resolve(score.Path);
            if (!File.Exists(path))
                throw new KonvidException($"score file {path} is missing", $"run Download (./build.sh Download --corpus {catalog.Name}) or fix corpora/{catalog.Name}.yaml scores");
            var precise = score.MosFrom is { } mosFrom ? await PreciseMos.LoadAsync(layout.Resolve(mosFrom), declaredAt, progress, ct) : null;
            var rows = 0;
            var fileKeys = new List<string>();
            await foreach (var row in ScoreReader.ReadAsync(path, ScoreLayouts.Parse(score.Layout, path), declaredAt, ct))
            {
                rows++;
                index.Add(precise?.Reconcile(row) ?? row, fileKeys);
            }
            if (precise is not null)
            {
                var own = 0;
                foreach (var row in precise.Untaken())
                {
                    own++;
                    index.Add(row, fileKeys);
                }
                rows += own;
                progress.Info($"{Path.GetFileName(path)}: " +
                              (precise.Refined > 0 ? $"{precise.Refined:N0} MOS taken from {precise.File}, which writes them with more decimals" : $"{precise.File} adds no decimals") +
                              (own > 0 ? $"; {own:N0} rows only {precise.File} has" : "") +
                              (precise.Absent > 0 ? $"; {precise.Absent:N0} labels it lacks keep their MOS" : ""));
            }
            index._files.Add((Path.GetFileName(path), rows));
            if (score.Votes is { } votes) await index.ApplyVotesAsync(layout.Resolve(votes), fileKeys, progress, ct);
        }
        return index;
    }

    private void Add(ScoreRow row, List<string> fileKeys)
    {
        if (TryFind(row.Key, out var first) || (row.AltKey is { } firstAlt && TryFind(firstAlt, out first)))
            _rejections.Add(new AttritionEntry(row.Id, Stage.Jsonl, $"{row.Origin}: duplicate id {row.Id} (first row kept: {first.Origin})"));
        else if (_rejectedKeys.Contains(row.Key) && row.Key.Length > 0)
            _rejections.Add(new AttritionEntry(row.Id, Stage.Jsonl, $"{row.Origin}: duplicate id {row.Id} (first row was rejected)"));
        else if (!row.Ok)
        {
            _rejections.Add(new AttritionEntry(row.Id, Stage.Jsonl, row.Problem!));
            if (row.Key.Length > 0) _rejectedKeys.Add(row.Key);
            if (row.AltKey is { } rejectedAlt) _rejectedKeys.Add(rejectedAlt);
        }
        else
        {
            _byKey.Add(row.Key, new Label(row.Id, row.Key, row.AltKey, row.Mos, row.MosStdDev, row.NRatings, row.Origin));
            if (row.AltKey is { } alt) _altToKey.TryAdd(alt, row.Key);
            fileKeys.Add(row.Key);
        }
    }

    /// <summary>Fills rating counts and SDs the score file left unpublished; a votes file never overrides a published value.</summary>
    private async Task ApplyVotesAsync(string path, List<string> keys, IProgressReporter progress, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            progress.Warn($"votes file {path} is missing: n_ratings and mos_std_dev stay as the score file has them");
            return;
        }
        var votes = await VotesReader.ReadAsync(path, ct);
        if (!votes.Recognised)
        {
            progress.Warn($"votes file {Path.GetFileName(path)}: {votes.Shape}; n_ratings and mos_std_dev stay unpublished");
            return;
        }
        var filled = 0;
        foreach (var key in keys)
        {
            var label = _byKey[key];
            if (!votes.ByKey.TryGetValue(key, out var v) && (label.AltKey is null || !votes.ByKey.TryGetValue(label.AltKey, out v))) continue;
            if (label.NRatings is not null && label.MosStdDev is not null) continue;
            _byKey[key] = label with { NRatings = label.NRatings ?? v.NRatings, MosStdDev = label.MosStdDev ?? v.StdDev };
            filled++;
        }
        progress.Info($"votes file {Path.GetFileName(path)}: {votes.Shape}; filled {filled:N0} labels");
    }
}
