using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// A second file publishing the same labels' MOS (a score entry's <c>mos_from</c>): KoNViD-1k's metadata holds
/// KoNViD_1k_mos.csv with 10 decimals beside the attributes file, which rounds some MOS to 4. Each label of the main
/// file takes the more precise of its two values, provided they agree to the coarser one's rounding (otherwise the
/// label is attrition: which one is right cannot be told); every row of this file that no label took is a label of
/// its own (a row or attrition like any other).
/// </summary>
internal sealed class PreciseMos
{
    private readonly List<ScoreRow> _rows = [];
    private readonly Dictionary<string, int> _firstByKey = new(StringComparer.Ordinal);
    private readonly HashSet<int> _taken = [];

    public string File { get; }

    public int Refined { get; private set; }

    public int Absent { get; private set; }

    private PreciseMos(string file) => File = file;

    /// <summary>Null when the file is absent (a warning says so): the main file's MOS stands, as published.</summary>
    public static async Task<PreciseMos?> LoadAsync(string path, string declaredAt, IProgressReporter progress, CancellationToken ct)
    {
        if (!System.IO.File.Exists(path))
        {
            progress.Warn($"MOS file {path} (mos_from of {declaredAt}) is missing: MOS stays as the score file writes it");
            return null;
        }
        var mos = new PreciseMos(Path.GetFileName(path));
        await foreach (var row in ScoreReader.ReadAsync(path, null, declaredAt + ".mos_from", ct))
        {
            if (row.Key.Length > 0) mos._firstByKey.TryAdd(row.Key, mos._rows.Count);
            mos._rows.Add(row);
        }
        return mos;
    }

    /// <summary>
    /// The main file's row with the more precise MOS, or with the disagreement as its problem. A broken main row stays
    /// broken but still takes its row here: one label, one attrition entry.
    /// </summary>
    public ScoreRow Reconcile(ScoreRow main)
    {
        if (main.Key.Length == 0) return main;
        if (!_firstByKey.TryGetValue(main.Key, out var at) && (main.AltKey is null || !_firstByKey.TryGetValue(main.AltKey, out at)))
        {
            if (main.Ok) Absent++;
            return main;
        }
        if (!_taken.Add(at)) return main;
        var other = _rows[at];
        if (!main.Ok || !other.Ok) return main;
        var coarser = Math.Min(main.MosDecimals, other.MosDecimals);
        var rounding = coarser >= 15 ? 0 : 0.5 * Math.Pow(10, -coarser);
        if (Math.Abs(main.Mos - other.Mos) > rounding + 1e-12)
            return main with { Problem = $"{main.Origin}: MOS {main.Mos:R} disagrees with {other.Mos:R} in {other.Origin} beyond rounding" };
        if (other.MosDecimals <= main.MosDecimals) return main;
        Refined++;
        return main with { Mos = other.Mos, MosDecimals = other.MosDecimals };
    }

    /// <summary>The rows no label of the main file took, in file order.</summary>
    public IEnumerable<ScoreRow> Untaken() => _rows.Where((_, i) => !_taken.Contains(i));
}
