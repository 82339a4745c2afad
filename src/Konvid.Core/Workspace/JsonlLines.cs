using System.Security.Cryptography;

namespace Konvid.Core.Workspace;

/// <summary>
/// Streams a JSONL file line by line as UTF-8 spans (no string per line), hashing the exact bytes on the way so the
/// corpus's SHA-256 costs no second read.
/// </summary>
internal static class JsonlLines
{
    public delegate void LineHandler(ReadOnlySpan<byte> line, long lineNumber);

    /// <summary>Calls <paramref name="handler"/> for every non-empty line; returns the file's SHA-256 (lower hex).</summary>
    public static async Task<string> ForEachAsync(string path, LineHandler handler, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var filled = 0;
        long lineNumber = 0;
        while (true)
        {
            if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0) break;
            sha.AppendData(buffer, filled, read);
            filled += read;
            var consumed = Lines(buffer.AsSpan(0, filled), handler, ref lineNumber, final: false);
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }
        Lines(buffer.AsSpan(0, filled), handler, ref lineNumber, final: true);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static int Lines(ReadOnlySpan<byte> data, LineHandler handler, ref long lineNumber, bool final)
    {
        var consumed = 0;
        while (true)
        {
            var rest = data[consumed..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (final && !rest.IsEmpty) Emit(rest, handler, ref lineNumber);
                return final ? data.Length : consumed;
            }
            Emit(rest[..newline], handler, ref lineNumber);
            consumed += newline + 1;
        }
    }

    private static void Emit(ReadOnlySpan<byte> line, LineHandler handler, ref long lineNumber)
    {
        lineNumber++;
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        if (!line.Trim((byte)' ').IsEmpty) handler(line, lineNumber);
    }
}
