using Konvid.Core.Features;
using Konvid.Core.Probe;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Features;

public class FeatureExtractorTests
{
    private static readonly string[] Measures = ["si", "ti", "sharpness", "blur", "blockiness", "noise", "contrast", "brightness", "colourfulness", "flicker"];

    private static async Task<MediaCorpus> ProbedCorpusAsync(params string[] extraTiny)
    {
        var corpus = new MediaCorpus();
        await MediaClips.CopyToAsync(corpus);
        foreach (var name in extraTiny)
            await corpus.AddLavfiAsync(name, "testsrc2=size=8x8:rate=25", 0.4, "-c:v", "libx264", "-pix_fmt", "yuv420p");
        corpus.AddBytes("zero.mp4", []);
        await corpus.WriteManifestAsync();
        await Prober.RunAsync(corpus.Layout, new ProbeOptions(2, Shard.All), NullProgress.Instance, CancellationToken.None);
        return corpus;
    }

    [Fact]
    public async Task Every_probed_clip_gets_all_nr_v1_features_and_undecodable_or_tiny_ones_become_attrition()
    {
        using var corpus = await ProbedCorpusAsync("tiny-8x8.mp4");

        var report = await FeatureExtractor.RunAsync(corpus.Layout, new FeatureOptions(2, Shard.All), NullProgress.Instance, CancellationToken.None);

        // zero.mp4 failed Probe: it is Probe's attrition, not a Features clip.
        Assert.Equal((MediaClips.Good.Count + 1, MediaClips.Good.Count + 1, 1), (report.Clips, report.Computed, report.Failed));
        var expectedNames = Measures.SelectMany(m => new[] { "mean", "std", "p10", "p90" }.Select(s => $"{m}_{s}"))
            .Concat(["si_max", "ti_max", "scene_cuts_per_s", "bits_per_pixel"]).Order(StringComparer.Ordinal).ToList();
        var probes = await ProbeStore.ReadAllAsync(corpus.Layout);
        foreach (var probe in probes.Values.Where(p => p.Ok && p.Src != "tiny-8x8.mp4"))
        {
            var cached = FeatureCache.TryRead(corpus.Layout, probe.SrcSha256, ClipFeatures.CurrentSet, deep: false);
            Assert.True(cached is { Ok: true }, $"{probe.Src}: {cached?.Error}");
            var features = cached!.Features!;
            Assert.Equal(expectedNames, features.Select(f => f.Key).ToList());
            Assert.All(features, f => Assert.True(double.IsFinite(f.Value)));
            Assert.True(features.ToDictionary()["si_mean"] > 1, $"{probe.Src}: a test pattern has spatial detail");
        }
        var attrition = await AttritionLedger.ReadAllAsync(corpus.Layout);
        var tiny = Assert.Single(attrition, e => e.Stage == Stage.Features);
        Assert.Equal("tiny-8x8.mp4", tiny.Id);
        Assert.Contains("smaller than the 16x16", tiny.Reason);
        Assert.Contains(attrition, e => e is { Id: "zero.mp4", Stage: Stage.Probe });
    }

    [Fact]
    public async Task A_rerun_featurises_nothing_new()
    {
        using var corpus = await ProbedCorpusAsync();
        var options = new FeatureOptions(2, Shard.All);
        await FeatureExtractor.RunAsync(corpus.Layout, options, NullProgress.Instance, CancellationToken.None);
        var files = Directory.EnumerateFiles(corpus.Layout.FeaturesDir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), File.ReadAllBytes(f)));

        var again = await FeatureExtractor.RunAsync(corpus.Layout, options, NullProgress.Instance, CancellationToken.None);

        Assert.Equal((0, MediaClips.Good.Count, 0L), (again.Computed, again.UpToDate, again.Frames));
        var after = Directory.EnumerateFiles(corpus.Layout.FeaturesDir, "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(files.Keys.Order(), after.Order());
        Assert.All(after, f => Assert.Equal(files[f].Item1, File.GetLastWriteTimeUtc(f)));
    }

    [Fact]
    public async Task Three_shards_run_one_after_another_write_the_unsharded_feature_files_each_only_its_own()
    {
        using var whole = await ProbedCorpusAsync();
        using var sharded = new MediaCorpus();
        await MediaClips.CopyToAsync(sharded);
        sharded.AddBytes("zero.mp4", []);
        var manifest = await sharded.WriteManifestAsync();
        await FeatureExtractor.RunAsync(whole.Layout, new FeatureOptions(2, Shard.All), NullProgress.Instance, CancellationToken.None);

        var written = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            var shard = new Shard(i, 3);
            await Prober.RunAsync(sharded.Layout, new ProbeOptions(2, shard), NullProgress.Instance, CancellationToken.None);
            await FeatureExtractor.RunAsync(sharded.Layout, new FeatureOptions(2, shard), NullProgress.Instance, CancellationToken.None);
            var now = Directory.EnumerateFiles(sharded.Layout.FeaturesDir, "*.json", SearchOption.AllDirectories).ToHashSet();
            var fresh = now.Except(written).Select(Path.GetFileName).ToList();
            var own = manifest.Where(e => shard.Contains(e.ClipId) && e.ClipId != "zero.mp4").Select(e => Path.GetFileName(FeatureCache.PathFor(sharded.Layout, e.Sha256, ClipFeatures.CurrentSet, deep: false))).ToList();
            Assert.Equal(own.Order(), fresh.Order());
            written.UnionWith(now);
        }

        var expected = Directory.EnumerateFiles(whole.Layout.FeaturesDir, "*.json", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(whole.Layout.FeaturesDir, f), File.ReadAllBytes);
        var actual = written.ToDictionary(f => Path.GetRelativePath(sharded.Layout.FeaturesDir, f), File.ReadAllBytes);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, kv => Assert.Equal(kv.Value, actual[kv.Key]));
    }

    [Fact]
    public async Task The_deep_analyzer_sees_every_decoded_frame_and_its_features_are_cached_as_deep()
    {
        using var corpus = new MediaCorpus();
        await MediaClips.CopyToAsync(corpus, "rotated.mp4");
        // Variable frame rate: every third frame dropped with its timestamp kept, so a constant-rate output would pad the gaps.
        await corpus.AddLavfiAsync("vfr.mkv", "testsrc2=size=160x90:rate=25,select='not(eq(mod(n\\,3)\\,0))'", 1,
            "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p");
        await corpus.WriteManifestAsync();
        await Prober.RunAsync(corpus.Layout, new ProbeOptions(2, Shard.All), NullProgress.Instance, CancellationToken.None);
        var deep = new FrameCountingFactory();

        var report = await FeatureExtractor.RunAsync(corpus.Layout, new FeatureOptions(2, Shard.All, deep), NullProgress.Instance, CancellationToken.None);

        Assert.True(report.Deep);
        foreach (var (name, frames, size) in deep.Seen)
        {
            var expected = await MediaOracle.CountFramesAsync(corpus.ClipPath(name));
            Assert.Equal(expected, frames);
            // rotated.mp4 is stored 160x90 with a quarter-turn display matrix: frames arrive upright.
            Assert.Equal(name == "rotated.mp4" ? "90x160" : "160x90", size);
        }
        Assert.Equal(2, deep.Seen.Count);
        foreach (var probe in (await ProbeStore.ReadAllAsync(corpus.Layout)).Values)
        {
            var cached = FeatureCache.TryRead(corpus.Layout, probe.SrcSha256, ClipFeatures.CurrentSet, deep: true);
            Assert.True(cached is { Ok: true });
            var features = cached!.Features!.ToDictionary();
            Assert.Equal(deep.Seen.Single(s => s.Name == probe.Src).Frames, features["test_frames"]);
            Assert.Contains("si_mean", features.Keys);
        }
    }

    /// <summary>Stands in for the CNN analyzer (another stage's work): records what the decoder fed it.</summary>
    private sealed class FrameCountingFactory : IFrameAnalyzerFactory
    {
        public List<(string Name, int Frames, string Size)> Seen { get; } = [];

        public IFrameAnalyzer Create(ProbeResult clip) => new Counter(this, clip.Src);

        private sealed class Counter(FrameCountingFactory owner, string name) : IFrameAnalyzer
        {
            private int _frames;
            private string _size = "";

            public void Add(in Yuv420Frame frame)
            {
                Assert.Equal(_frames, frame.Index);
                _frames++;
                _size = $"{frame.Width}x{frame.Height}";
            }

            public void Finish(SortedDictionary<string, double> features)
            {
                features["test_frames"] = _frames;
                lock (owner.Seen) owner.Seen.Add((name, _frames, _size));
            }
        }
    }

    [Fact]
    public async Task An_entry_the_index_vouches_for_is_not_opened_and_one_that_changed_since_is_read_again()
    {
        using var corpus = await ProbedCorpusAsync("tiny-8x8.mp4");
        var options = new FeatureOptions(2, Shard.All);
        await FeatureExtractor.RunAsync(corpus.Layout, options, NullProgress.Instance, CancellationToken.None);
        Assert.True(File.Exists(FeatureIndex.PathFor(corpus.Layout, Shard.All)));

        // Same size, same mtime, other bytes: taken on the index's word, so not opened (a read would find it broken).
        var probe = (await ProbeStore.ReadAllAsync(corpus.Layout)).Values.First(p => p.Ok && p.Src != "tiny-8x8.mp4");
        var entry = FeatureCache.PathFor(corpus.Layout, probe.SrcSha256, ClipFeatures.CurrentSet, false);
        var mtime = File.GetLastWriteTimeUtc(entry);
        File.WriteAllBytes(entry, new byte[new FileInfo(entry).Length]);
        File.SetLastWriteTimeUtc(entry, mtime);
        var trusted = await FeatureExtractor.RunAsync(corpus.Layout, options, NullProgress.Instance, CancellationToken.None);
        Assert.Equal((0, 1), (trusted.Computed, trusted.Failed));

        // Touched since: read again, found broken, computed again; the entry holding an error is read every time.
        File.SetLastWriteTimeUtc(entry, mtime.AddSeconds(-10));
        var reread = await FeatureExtractor.RunAsync(corpus.Layout, options, NullProgress.Instance, CancellationToken.None);
        Assert.Equal((1, 1), (reread.Computed, reread.Failed));
        Assert.True(FeatureCache.TryRead(corpus.Layout, probe.SrcSha256, ClipFeatures.CurrentSet, false) is { Ok: true });
        Assert.Contains(await AttritionLedger.ReadAllAsync(corpus.Layout), e => e is { Id: "tiny-8x8.mp4", Stage: Stage.Features });

        var again = await FeatureExtractor.RunAsync(corpus.Layout, options, NullProgress.Instance, CancellationToken.None);
        Assert.Equal((0, 1), (again.Computed, again.Failed));
    }
}
