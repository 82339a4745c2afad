namespace Konvid.Core.Workspace;

/// <summary>
/// attrition.csv is compiled from one part per stage (and per shard), each rewritten whole by its stage, so a
/// re-run replaces a stage's losses instead of appending duplicates, and shards never write the same file.
/// </summary>
public static class AttritionLedger
{
    /// <summary>Replaces <paramref name="stage"/>'s losses (for one shard, or for all when <paramref name="shardTag"/> is null).</summary>
    public static async Task WriteStageAsync(CorpusLayout layout, Stage stage, IEnumerable<AttritionEntry> entries,
        string? shardTag = null, CancellationToken ct = default)
    {
        Directory.CreateDirectory(layout.AttritionParts);
        if (shardTag is null)
            foreach (var stale in Directory.EnumerateFiles(layout.AttritionParts, $"{stage}.shard-*.csv"))
                File.Delete(stale);
        var part = Path.Combine(layout.AttritionParts, shardTag is null ? $"{stage}.csv" : $"{stage}.{shardTag}.csv");
        SweepLeftovers(part, layout.Attrition);
        await AtomicFile.WriteAllTextAsync(part, Format(entries.Where(e => e.Stage == stage)), ct);
        await CompileAsync(layout, ct);
    }

    /// <summary>Every loss recorded so far, ordered by stage in pipeline order, then id.</summary>
    public static async Task<IReadOnlyList<AttritionEntry>> ReadAllAsync(CorpusLayout layout, CancellationToken ct = default)
    {
        var all = new List<AttritionEntry>();
        if (!Directory.Exists(layout.AttritionParts)) return all;
        foreach (var part in Directory.EnumerateFiles(layout.AttritionParts, "*.csv"))
            await foreach (var record in CsvRecordReader.ReadAsync(part, ct))
                if (record.Line > 1 && record.Fields.Count == 3 && ParseStage(record.Fields[1]) is { } stage)
                    all.Add(new AttritionEntry(record.Fields[0], stage, record.Fields[2]));
        return all.Distinct()
            .OrderBy(e => e.Stage)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ThenBy(e => e.Reason, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The ledger's files are every stage's: each sweeps the temp files of the part it rewrites and of attrition.csv.</summary>
    private static void SweepLeftovers(params string[] files)
    {
        foreach (var file in files) AtomicFile.SweepLeftovers(TempPlace.FileAt(file).Folder, of: Path.GetFileName(file));
    }

    /// <summary>
    /// The part files of the stages up to and including <paramref name="stage"/>, sorted: what a target that reads the
    /// losses so far depends on, so later stages (Train) add theirs without invalidating it.
    /// </summary>
    public static IEnumerable<string> PartsUpTo(CorpusLayout layout, Stage stage) => Directory.Exists(layout.AttritionParts)
        ? Directory.EnumerateFiles(layout.AttritionParts, "*.csv")
            .Where(f => ParseStage(Path.GetFileName(f).Split('.')[0]) is { } s && s <= stage)
            .Order(StringComparer.Ordinal)
        : [];

    public static async Task CompileAsync(CorpusLayout layout, CancellationToken ct = default) =>
        await AtomicFile.WriteAllTextAsync(layout.Attrition, Format(await ReadAllAsync(layout, ct)), ct);

    /// <summary>One line per loss: line breaks inside a field become spaces, so the file greps line by line.</summary>
    private static string Format(IEnumerable<AttritionEntry> entries)
    {
        var csv = new CsvWriter("id", "stage", "reason");
        foreach (var e in entries) csv.Row(OneLine(e.Id), e.Stage.ToString(), OneLine(e.Reason));
        return csv.ToString();
    }

    private static string OneLine(string field) => field.Replace('\r', ' ').Replace('\n', ' ');

    /// <summary>A stage by its exact name; anything else (a number, a stranger's file) is none.</summary>
    private static Stage? ParseStage(string name) =>
        Enum.TryParse<Stage>(name, ignoreCase: false, out var stage) && Enum.IsDefined(stage) && stage.ToString() == name ? stage : null;
}
