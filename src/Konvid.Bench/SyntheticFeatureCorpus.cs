using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Konvid.Core.Corpora;
using Konvid.Core.Features;
using Konvid.Core.Jsonl;
using Konvid.Core.Probe;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// A KonViD-150k-shaped corpus without a single video: manifest, header-less A score file, probe results and
/// feature cache entries, written straight into a work dir so Jsonl can be measured at full scale (the Bench
/// target and the Corpus tests use it). Deterministic: the same count gives the same files.
/// </summary>
public static class SyntheticFeatureCorpus
{
    public const string ScoreFile = "metadata/k150ka_scores.csv";

    /// <summary>
    /// The nr-v1 names of DESIGN.md: <c>&lt;measure&gt;_&lt;stat&gt;</c> for the eleven measures, P.910's clip-level
    /// <c>si_max</c>/<c>ti_max</c>, and with <paramref name="deep"/> the 1,024 pooled ResNet18 outputs.
    /// </summary>
    public static IReadOnlyList<string> FeatureNames(bool deep)
    {
        string[] measures = ["si", "ti", "sharpness", "blur", "blockiness", "noise", "contrast", "brightness", "colourfulness", "flicker", "bpp"];
        var names = measures.SelectMany(m => new[] { "mean", "std", "p10", "p90" }.Select(s => $"{m}_{s}")).Concat(["si_max", "ti_max"]);
        if (deep) names = names.Concat(new[] { "mean", "std" }.SelectMany(s => Enumerable.Range(0, 512).Select(i => $"cnn_{s}_{i:000}")));
        return names.ToList();
    }

    public static string ClipName(int i) => $"orig_{1_000_000 + i}_540_5s.mp4";

    public static string Sha256Of(int i) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ClipName(i))));

    public static Catalog CatalogFor(int clips) => new(
        "synthetic", "synthetic-1", "synthetic, no licence", "", [],
        [new ScoreFile(ScoreFile, ScoreLayouts.Auto, null)],
        new LabelGuard(clips / 2, clips * 2), new GateThresholds(0.85, 0.82, 0.45, 0.005), null);

    /// <summary>Writes <paramref name="clips"/> clips' worth of inputs under <paramref name="layout"/> and returns their catalog.</summary>
    public static async Task<Catalog> WriteAsync(CorpusLayout layout, int clips, bool deep, CancellationToken ct = default)
    {
        Directory.CreateDirectory(layout.Root);
        await Manifest.WriteAsync(layout.Manifest,
            Enumerable.Range(0, clips).Select(i => new ManifestEntry(Sha256Of(i), "clips/" + ClipName(i))), ct);

        var scores = new StringBuilder();
        for (var i = 0; i < clips; i++)
            scores.Append(Path.GetFileNameWithoutExtension(ClipName(i))).Append(',')
                .Append(Mos(i).ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
        await AtomicFile.WriteAllTextAsync(layout.Resolve(ScoreFile), scores.ToString(), ct);

        await using (var probes = await ProbeStore.OpenAppendAsync(layout, Shard.All, ct))
            for (var i = 0; i < clips; i++)
                await probes.AppendAsync(new ProbeResult(ClipName(i), Sha256Of(i), 2_000_000 + i, 960, 540, 29.97002997002997, 5.005,
                    "yuv420p", "h264", 150, 3_200_000), ct);

        var names = FeatureNames(deep);
        var json = new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        await Parallel.ForEachAsync(Enumerable.Range(0, clips), new ParallelOptions { CancellationToken = ct }, async (i, c) =>
        {
            var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
            for (var k = 0; k < names.Count; k++) values[names[k]] = (float)(Unit(i, k + 1) * 4);
            var sha = Sha256Of(i);
            var path = FeatureCache.PathFor(layout, sha, ClipFeatures.CurrentSet, deep);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // FeatureCache.WriteAsync's format without its per-entry fsync, which would dominate generating 150k entries.
            await File.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(new ClipFeatures(sha, ClipFeatures.CurrentSet, deep, values), json), c);
        });
        return CatalogFor(clips);
    }

    /// <summary>
    /// A noisy non-linear function of the first four features (slot k + 1 is feature k's value / 4), so learners trained
    /// on the corpus do real work; slot 0 is the noise.
    /// </summary>
    private static double Mos(int clip)
    {
        double U(int feature) => Unit(clip, feature + 1);
        var quality = 0.45 * U(0) + 0.25 * U(1) * U(1) + 0.15 * Math.Sin(3 * U(2)) + 0.15 * U(3) * U(0);
        return Math.Clamp(1 + 4 * quality + 0.3 * (Unit(clip, 0) - 0.5), 1, 5);
    }

    /// <summary>A deterministic pseudo-random number in [0, 1) per (clip, slot): SplitMix64, independent of thread order.</summary>
    private static double Unit(int clip, int slot)
    {
        var z = ((ulong)clip << 20 ^ (ulong)slot) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return ((z ^ (z >> 31)) >> 11) * (1.0 / (1UL << 53));
    }
}
