using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>Files of pseudo-random bytes (incompressible, so no layer can cheat), made once and reused while their size fits.</summary>
internal static class PayloadFile
{
    public static async Task<string> EnsureAsync(string path, long bytes, int seed, CancellationToken ct)
    {
        if (File.Exists(path) && new FileInfo(path).Length == bytes) return path;
        var rnd = new Random(seed);
        var block = new byte[1 << 20];
        await AtomicFile.WriteAsync(path, async (stream, c) =>
        {
            for (long left = bytes; left > 0; left -= block.Length)
            {
                rnd.NextBytes(block);
                await stream.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, left)), c);
            }
        }, ct);
        return path;
    }
}
