using System.Security.Cryptography;
using System.Text;
using Konvid.Core.Corpora;
using Konvid.Core.Features;
using Konvid.Core.Jsonl;
using Konvid.Core.Probe;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Support;

/// <summary>
/// A corpus work dir built by writing what the earlier stages would have written (manifest, probe results,
/// feature cache entries, attrition) through their own stores, so Jsonl runs on real files without ffmpeg.
/// </summary>
public sealed class CorpusFixture : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<ManifestEntry> _manifest = [];

    public CorpusFixture(string corpus = "konvid-1k") => Layout = new CorpusLayout(_dir.Path, corpus);

    public CorpusLayout Layout { get; }

    public static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static Catalog CatalogOf(string name, string version, int min, int max, params ScoreFile[] scores) =>
        new(name, version, "research only", "", [], scores, new LabelGuard(min, max), new GateThresholds(0.85, 0.82, 0.45, 0.005), null);

    /// <summary>A catalog with a permissive guard, as the sample corpus has.</summary>
    public static Catalog CatalogOf(params ScoreFile[] scores) => CatalogOf("konvid-1k", "konvid-1k-2017", 0, 1_000_000, scores);

    public static string ShaOf(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>Writes a file's exact bytes (BOM, CRLF and all) under the corpus folder.</summary>
    public string WriteFile(string relative, string text, bool bom = false)
    {
        var path = Layout.Resolve(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. bom ? Encoding.UTF8.GetPreamble() : [], .. Encoding.UTF8.GetBytes(text)]);
        return path;
    }

    /// <summary>
    /// Adds a clip as Verify, Probe and Features would leave it. <paramref name="content"/> decides the sha256 (two
    /// clips with the same content are duplicates); <paramref name="shard"/> writes its probe result as that shard would.
    /// </summary>
    public async Task<ManifestEntry> AddClipAsync(string relative, string? content = null, bool probed = true, bool featurised = true,
        string? probeError = null, string? featureError = null, Shard? shard = null, int rotation = 0)
    {
        var entry = new ManifestEntry(ShaOf(content ?? relative), "clips/" + relative);
        _manifest.Add(entry);
        await Manifest.WriteAsync(Layout.Manifest, _manifest);
        var seed = Encoding.UTF8.GetBytes(entry.ClipId).Sum(b => b);
        if (probed)
        {
            await using var probes = await ProbeStore.OpenAppendAsync(Layout, shard ?? Shard.All);
            await probes.AppendAsync(probeError is null
                ? new ProbeResult(entry.ClipId, entry.Sha256, 1_000_000 + seed, 960, 540, 24000.0 / 1001, 8.0, "yuv420p", "h264", 192, 1_500_000, rotation)
                : new ProbeResult(entry.ClipId, entry.Sha256, 1_000_000 + seed, Error: probeError));
        }
        if (featurised)
            await FeatureCache.WriteAsync(Layout, featureError is null
                ? new ClipFeatures(entry.Sha256, ClipFeatures.CurrentSet, false, new SortedDictionary<string, double>(StringComparer.Ordinal)
                {
                    ["ti_max"] = seed % 7 * 1.5, ["si_max"] = 40 + seed % 11 * 0.25, ["blur_mean"] = 0.125 * (seed % 5),
                })
                : new ClipFeatures(entry.Sha256, ClipFeatures.CurrentSet, false, null, featureError));
        return entry;
    }

    public Task LoseAsync(Stage stage, params string[] ids) =>
        AttritionLedger.WriteStageAsync(Layout, stage, ids.Select(id => new AttritionEntry(id, stage, "test loss")));

    public Task<JsonlReport> RunAsync(Catalog catalog, JsonlOptions? options = null) =>
        CorpusWriter.RunAsync(Layout, catalog, options ?? new JsonlOptions(Deep: false, IngestedAt: Noon), NullProgress.Instance, CancellationToken.None);

    public string[] Lines() => File.ReadAllLines(Layout.CorpusJsonl);

    public void Dispose() => _dir.Dispose();
}
