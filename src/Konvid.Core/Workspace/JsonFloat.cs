using System.Globalization;
using System.Text.Json;

namespace Konvid.Core.Workspace;

/// <summary>
/// Floats as the reference's Python writes them: shortest round-trip digits, and always recognisably a float
/// ("25.0", not "25"), so a reader that checks <c>isinstance(x, float)</c> accepts every row.
/// </summary>
internal static class JsonFloat
{
    public static void Write(Utf8JsonWriter writer, double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no NaN or infinity");
        Span<byte> buffer = stackalloc byte[40];
        value.TryFormat(buffer, out var n, "R", CultureInfo.InvariantCulture);
        if (buffer[..n].IndexOfAny((byte)'.', (byte)'E') < 0)
        {
            buffer[n++] = (byte)'.';
            buffer[n++] = (byte)'0';
        }
        writer.WriteRawValue(buffer[..n], skipInputValidation: true);
    }
}
