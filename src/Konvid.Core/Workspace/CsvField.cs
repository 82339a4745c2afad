namespace Konvid.Core.Workspace;

/// <summary>One CSV field as RFC 4180 writes it: quoted (quotes doubled) only when it holds a comma, quote or line break.</summary>
internal static class CsvField
{
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"")}\"" : field;
}
