using System.Text;

namespace Konvid.Core.Workspace;

/// <summary>
/// attrition.csv is compiled from one part per stage (and per shard), each rewritten whole by its stage, so a
/// re-run replaces a stage's losses instead of appending duplicates, and shards never write the same file.
/// </summary>
public static class AttritionLedger
{
    public static readonly string[] StageOrder = ["Download", "Verify", "Probe", "Features", "Jsonl"];

    /// <summary>Replaces <paramref name="stage"/>'s losses (for one shard, or for all when <paramref name="shardTag"/> is null).</summary>
    public static async Task WriteStageAsync(CorpusLayout layout, string stage, IEnumerable<AttritionEntry> entries,
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
                if (record.Line > 1 && record.Fields.Count == 3) all.Add(new AttritionEntry(record.Fields[0], record.Fields[1], record.Fields[2]));
        return all.Distinct()
            .OrderBy(e => Array.IndexOf(StageOrder, e.Stage) is var i && i < 0 ? int.MaxValue : i)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ThenBy(e => e.Reason, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The ledger's files are every stage's: each sweeps the temp files of the part it rewrites and of attrition.csv.</summary>
    private static void SweepLeftovers(params string[] files)
    {
        foreach (var file in files) AtomicFile.SweepLeftovers(TempPlace.FileAt(file).Folder, of: Path.GetFileName(file));
    }

    public static async Task CompileAsync(CorpusLayout layout, CancellationToken ct = default) =>
        await AtomicFile.WriteAllTextAsync(layout.Attrition, Format(await ReadAllAsync(layout, ct)), ct);

    private static string Format(IEnumerable<AttritionEntry> entries)
    {
        var sb = new StringBuilder("id,stage,reason\n");
        foreach (var e in entries) sb.Append(Csv(e.Id)).Append(',').Append(Csv(e.Stage)).Append(',').Append(Csv(e.Reason)).Append('\n');
        return sb.ToString();
    }

    private static string Csv(string field)
    {
        var flat = field.Replace('\r', ' ').Replace('\n', ' ');
        return flat.IndexOfAny([',', '"']) >= 0 ? $"\"{flat.Replace("\"", "\"\"")}\"" : flat;
    }
}
