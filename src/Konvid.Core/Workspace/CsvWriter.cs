using System.Text;

namespace Konvid.Core.Workspace;

/// <summary>
/// RFC 4180 text that <see cref="CsvRecordReader"/> reads back: LF line ends, a field quoted (quotes doubled) when it holds
/// a comma, a quote or a line break.
/// </summary>
internal sealed class CsvWriter
{
    private readonly StringBuilder _text = new();

    public CsvWriter(params ReadOnlySpan<string> header) => Row(header);

    public CsvWriter Row(params ReadOnlySpan<string> fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) _text.Append(',');
            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") < 0) _text.Append(field);
            else _text.Append('"').Append(field.Replace("\"", "\"\"")).Append('"');
        }
        _text.Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();
}
