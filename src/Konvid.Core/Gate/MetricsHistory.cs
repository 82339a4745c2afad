using System.Text.Json;
using Konvid.Core.Workspace;

namespace Konvid.Core.Gate;

/// <summary>One Gate run as the history keeps it: when, on which corpus, the seeds' mean held-out metrics, the verdict.</summary>
internal sealed record HistoryEntry(string GeneratedAtUtc, string Corpus, string Version, int Rows, string JsonlSha256, int Seeds,
    double Plcc, double Srocc, double Rmse, string Verdict);

/// <summary>
/// The corpus's Gate verdicts over time, oldest first, one JSON line each in &lt;work&gt;/&lt;corpus&gt;/metrics-history.jsonl
/// (in the work dir, so the demo never dirties a checkout). The state page shows it with the change against the last
/// PROMOTE, as <c>dvc metrics diff</c> does.
/// </summary>
internal static class MetricsHistory
{
    public const string FileName = "metrics-history.jsonl";

    public static string PathIn(CorpusLayout layout) => Path.Combine(layout.Root, FileName);

    public static async Task<IReadOnlyList<HistoryEntry>> ReadAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path)) return [];
        var entries = new List<HistoryEntry>();
        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            if (line.Trim().Length == 0) continue;
            try
            {
                if (JsonSerializer.Deserialize<HistoryEntry>(line, Json) is { } entry) entries.Add(entry);
            }
            // A line torn by a crash is not history; the rest still is.
            catch (JsonException) { }
        }
        return entries;
    }

    /// <summary>Appends <paramref name="entry"/> (the file is rewritten whole, atomically) and returns the history with it last.</summary>
    public static async Task<IReadOnlyList<HistoryEntry>> AppendAsync(string path, HistoryEntry entry, CancellationToken ct)
    {
        var entries = (await ReadAsync(path, ct)).Append(entry).ToList();
        await AtomicFile.WriteAllTextAsync(path, string.Concat(entries.Select(e => JsonSerializer.Serialize(e, Json) + "\n")), ct);
        return entries;
    }

    /// <summary>The latest PROMOTE before the last entry, or null.</summary>
    public static HistoryEntry? LastPromoteBefore(IReadOnlyList<HistoryEntry> entries) =>
        entries.Take(entries.Count - 1).LastOrDefault(e => e.Verdict == "PROMOTE");

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
