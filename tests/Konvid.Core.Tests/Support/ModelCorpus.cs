using System.Globalization;
using System.Text;

namespace Konvid.Core.Tests.Support;

/// <summary>
/// Synthetic corpus JSONL for the model tests: MOS is a noisy known function of two of the features
/// (mos = 1 + 4 * clamp(0.6 a + 0.3 b^2 + 0.1 noise)), the rest is distractors, so a head that learns has high PLCC.
/// </summary>
public static class ModelCorpus
{
    public static readonly string[] FeatureNames = ["blur_p90", "noise_mean", "si_mean", "ti_mean"];

    public static async Task WriteAsync(string path, int rows, int firstClip = 0, int seed = 7)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, Build(rows, firstClip, seed));
    }

    public static string Build(int rows, int firstClip = 0, int seed = 7)
    {
        var rnd = new Random(seed + firstClip);
        var sb = new StringBuilder();
        for (var i = firstClip; i < firstClip + rows; i++)
        {
            double a = rnd.NextDouble(), b = rnd.NextDouble(), c = rnd.NextDouble(), d = rnd.NextDouble(), noise = rnd.NextDouble();
            var mos = 1 + 4 * Math.Clamp(0.6 * a + 0.3 * b * b + 0.1 * noise, 0, 1);
            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"encoder_slot\":\"ugc-mixed\",\"feature_set\":\"nr-v1\",\"features\":{{\"blur_p90\":{b:R},\"noise_mean\":{c:R},\"si_mean\":{a:R},\"ti_mean\":{d:R}}},\"mos\":{mos:R},\"src\":\"clip{i:D5}.mp4\"}}\n");
        }
        return sb.ToString();
    }
}
