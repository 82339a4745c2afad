using System.Runtime.CompilerServices;
using System.Text;

namespace Konvid.Core.Workspace;

/// <summary>One CSV record and the line it starts on (1-based), for attrition reasons that point into the file.</summary>
internal sealed record CsvRecord(long Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 records streamed from a file: UTF-8 with or without BOM, LF or CRLF, quoted fields (with doubled
/// quotes and line breaks inside). Blank lines are skipped. Nothing is held beyond the record being read.
/// </summary>
internal static class CsvRecordReader
{
    public static async IAsyncEnumerable<CsvRecord> ReadAsync(string path, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var fields = new List<string>();
        var field = new StringBuilder();
        long lineNo = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNo++;
            var start = lineNo;
            fields.Clear();
            field.Clear();
            var quoted = false;
            var text = line;
            while (true)
            {
                for (var i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    if (quoted)
                    {
                        if (c != '"') field.Append(c);
                        else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                        else quoted = false;
                    }
                    else if (c == '"') quoted = true;
                    else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
                    else field.Append(c);
                }
                // A quoted field may span lines: keep reading until its closing quote.
                if (!quoted) break;
                if (await reader.ReadLineAsync(ct) is not { } next) break;
                lineNo++;
                field.Append('\n');
                text = next;
            }
            fields.Add(field.ToString());
            if (fields.Count == 1 && fields[0].Trim().Length == 0) continue;
            yield return new CsvRecord(start, fields.ToArray());
        }
    }
}
