using System.Globalization;
using System.Text;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// A corpus JSONL of the real row shape for benchmarking Train at scale without clips: <c>features</c> named like
/// nr-v1's (<c>f000_mean</c>...), MOS a noisy non-linear function of the first few, so the learners do real work.
/// Deterministic for a given seed.
/// </summary>
public static class SyntheticRowCorpus
{
    public static async Task WriteAsync(string path, int rows, int features, int seed, CancellationToken ct)
    {
        if (features < 4) throw new ArgumentOutOfRangeException(nameof(features), features, "at least 4 features");
        var rnd = new Random(seed);
        var names = Enumerable.Range(0, features).Select(i => $"f{i:D4}_mean").ToArray();
        var values = new double[features];
        await AtomicFile.WriteAsync(path, async (stream, token) =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            var sb = new StringBuilder();
            for (var r = 0; r < rows; r++)
            {
                for (var f = 0; f < features; f++) values[f] = rnd.NextDouble();
                var quality = 0.45 * values[0] + 0.25 * values[1] * values[1] + 0.15 * Math.Sin(3 * values[2]) + 0.15 * values[3] * values[0];
                var mos = Math.Clamp(1 + 4 * quality + 0.3 * (rnd.NextDouble() - 0.5), 1, 5);
                sb.Clear().Append("{\"feature_set\":\"nr-v1\",\"features\":{");
                for (var f = 0; f < features; f++)
                    sb.Append(f == 0 ? "" : ",").Append('"').Append(names[f]).Append("\":").Append(values[f].ToString("R", CultureInfo.InvariantCulture));
                sb.Append("},\"mos\":").Append(mos.ToString("R", CultureInfo.InvariantCulture))
                  .Append(",\"src\":\"synthetic").Append(r.ToString("D7", CultureInfo.InvariantCulture)).Append(".mp4\"}\n");
                await writer.WriteAsync(sb, token);
            }
            await writer.FlushAsync(token);
        }, ct);
    }
}
