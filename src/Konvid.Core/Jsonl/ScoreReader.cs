using System.Globalization;
using System.Runtime.CompilerServices;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// Streams the rows of one score file in any layout of KONVID.md. Every data row comes out, good or bad: a bad
/// one carries its problem so it lands in attrition instead of vanishing.
/// </summary>
internal static class ScoreReader
{
    public const double MosMin = 1.0, MosMax = 5.0;

    /// <param name="layout">The catalog's layout, or null to sniff it from the first record.</param>
    /// <param name="declaredAt">Where the layout is declared (catalog file and entry), for the message when the file fits none.</param>
    public static async IAsyncEnumerable<ScoreRow> ReadAsync(string path, ScoreLayout? layout, string declaredAt = "the catalog's scores entry",
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var file = Path.GetFileName(path);
        ScoreColumns? columns = null;
        await foreach (var record in CsvRecordReader.ReadAsync(path, ct))
        {
            if (columns is null)
            {
                columns = Columns(record.Fields, layout, path, declaredAt, out var isHeader);
                if (isHeader) continue;
            }
            yield return Row(file, record, columns);
        }
    }

    private static ScoreColumns Columns(IReadOnlyList<string> first, ScoreLayout? layout, string path, string declaredAt, out bool isHeader)
    {
        var detected = ScoreLayouts.Detect(first, out isHeader);
        var row = string.Join(',', first);
        if (!isHeader)
        {
            if ((layout ?? detected) is { } chosen && ScoreColumns.Headerless(chosen) is { } headerless) return headerless;
            var problem = layout is { } declared
                ? $"{path}: first row '{row}' is no header, and layout {ScoreLayouts.NameOf(declared)} (declared in {declaredAt}) needs one"
                : $"{path}: first row '{row}' is neither a header this reader knows nor a row of a header-less layout";
            throw new KonvidException(problem, $"give the file its header, or declare the layout that reads it as 'layout:' in {declaredAt}; layouts: {ScoreLayouts.Described}");
        }
        var columns = ScoreColumns.FromHeader(first);
        if ((columns.FlickrId < 0 && columns.Name < 0) || columns.Mos < 0)
            throw new KonvidException(
                $"{path}: header '{row}' has no {(columns.Mos < 0 ? "MOS column (mos, video_score)" : "clip column (flickr_id, file_name, video_name, path)")}" +
                (layout is { } l ? $" for layout {ScoreLayouts.NameOf(l)}" : ""),
                "check that the catalog points at the score file, not another CSV");
        return columns;
    }

    private static ScoreRow Row(string file, CsvRecord record, ScoreColumns c)
    {
        var f = record.Fields;
        string Cell(int i) => i >= 0 && i < f.Count ? f[i].Trim() : "";
        var flickr = ClipKey.Unwrap(Cell(c.FlickrId));
        var name = ClipKey.Unwrap(Cell(c.Name));
        // The file name decides the key (a mirror's flickr_id column need not match its clip names); the flickr id,
        // where it says something else, is kept as a second key. Both go through ClipKey: published flickr_id columns
        // also carry ".mp4".
        var nameKey = name.Length > 0 ? ClipKey.Of(name) : "";
        var flickrKey = flickr.Length > 0 ? ClipKey.Of(flickr) : "";
        var key = nameKey.Length > 0 ? nameKey : flickrKey;
        var alt = flickrKey.Length > 0 && flickrKey != key ? flickrKey : null;
        var id = flickr.Length > 0 && alt is null ? flickr : name;
        ScoreRow Bad(string problem) => new(file, record.Line, id.Length > 0 ? id : $"{file}:{record.Line}", key, alt, double.NaN, null, null, problem, 0);

        if (id.Length == 0) return Bad($"{file}:{record.Line}: row names no clip (empty flickr_id/file name)");
        if (f.Count < c.Width) return Bad($"{file}:{record.Line}: {f.Count} fields where {c.WidthFrom} has {c.Width}");
        var mosText = Cell(c.Mos);
        if (!double.TryParse(mosText, NumberStyles.Float, CultureInfo.InvariantCulture, out var mos))
            return Bad($"{file}:{record.Line}: MOS '{mosText}' is not a number");
        if (!double.IsFinite(mos)) return Bad($"{file}:{record.Line}: MOS '{mosText}' is not a finite number");
        if (mos is < MosMin or > MosMax) return Bad($"{file}:{record.Line}: MOS {mosText} is outside {MosMin:0}-{MosMax:0}");

        double? sd = null;
        var sdText = Cell(c.StdDev);
        if (sdText.Length > 0)
        {
            if (!double.TryParse(sdText, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || !double.IsFinite(s) || s < 0)
                return Bad($"{file}:{record.Line}: SD '{sdText}' is not a non-negative number");
            sd = s;
        }
        int? n = null;
        var nText = Cell(c.Ratings);
        if (nText.Length > 0)
        {
            // Some copies write counts as floats ("25.0"); anything else is a broken row.
            if (!double.TryParse(nText, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) || r < 0 || r != Math.Floor(r) || r > int.MaxValue)
                return Bad($"{file}:{record.Line}: rating count '{nText}' is not a non-negative integer");
            n = (int)r;
        }
        return new ScoreRow(file, record.Line, id, key, alt, mos, sd, n, null, Decimals(mosText));
    }

    /// <summary>How precisely a MOS is written: digits after the point; an exponent form counts as exact.</summary>
    private static int Decimals(string text)
    {
        if (text.AsSpan().IndexOfAny('e', 'E') >= 0) return int.MaxValue;
        var dot = text.IndexOf('.');
        return dot < 0 ? 0 : text.Length - dot - 1;
    }
}
