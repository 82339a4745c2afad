using System.Text.Json;
using System.Text.RegularExpressions;
using Konvid.Core.Corpora;
using Konvid.Core.Jsonl;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Newtonsoft.Json.Linq;
using Snapshooter;
using Snapshooter.Xunit;

namespace Konvid.Core.Tests.Jsonl;

public class CorpusWriterTests
{
    private static readonly ScoreFile Scores = new("metadata/scores.csv", "auto", null);

    [Theory]
    [MemberData(nameof(CorpusScoreFiles.Names), MemberType = typeof(CorpusScoreFiles))]
    public async Task Writes_one_row_per_labelled_clip_for_every_score_layout(string layoutName)
    {
        var file = CorpusScoreFiles.Named(layoutName);
        using var corpus = new CorpusFixture(file.Corpus);
        corpus.WriteFile(Scores.Path, file.Text, file.Bom);
        foreach (var clip in file.Clips) await corpus.AddClipAsync(clip);

        var report = await corpus.RunAsync(CorpusFixture.CatalogOf(file.Corpus, file.Corpus == "konvid-1k" ? "konvid-1k-2017" : "konvid-150k-2019", 1, 10, Scores));

        Assert.Equal(3, report.RowsWritten);
        Assert.Equal(0, report.TotalLosses);
        Snapshot.Match(new JArray(corpus.Lines().Select(JObject.Parse)), new SnapshotNameExtension(layoutName));
    }

    [Fact]
    public async Task Every_label_and_every_clip_is_either_a_row_or_one_attrition_entry()
    {
        using var corpus = new CorpusFixture();
        corpus.WriteFile(Scores.Path,
            "flickr_id,download_id,file_name,MOS,ti,si,colorfulness,contrast,blur,vniqe\n" +
            "101,1,101_original_centercrop_960x540_8s.mp4,2.5,1,1,1,1,1,1\n" +
            "102,2,102_original_centercrop_960x540_8s.mp4,3.75,1,1,1,1,1,1\n" +
            "103,3,103_original_centercrop_960x540_8s.mp4,abc,1,1,1,1,1,1\n" +  // non-numeric MOS, clip present
            "104,4,104_original_centercrop_960x540_8s.mp4,5.5,1,1,1,1,1,1\n" +  // out of range
            "105,5,105_original_centercrop_960x540_8s.mp4,NaN,1,1,1,1,1,1\n" +
            "101,1,101_original_centercrop_960x540_8s.mp4,2.6,1,1,1,1,1,1\n" +  // duplicate id
            "106,6,106_original_centercrop_960x540_8s.mp4,3,1,1,1,1,1,1\n" +    // no clip
            "107,7,107_original_centercrop_960x540_8s.mp4,3,1,1,1,1,1,1\n" +    // clip lost in Probe
            "108,8,108_original_centercrop_960x540_8s.mp4,3,1,1,1,1,1,1\n" +    // features failed
            "109,9,109_original_centercrop_960x540_8s.mp4,3,1,1,1,1,1,1\n" +    // same content as 101
            "110,10,110_original_centercrop_960x540_8s.mp4,3,1,1,1,1,1,1\n" +   // clip lost in Download
            ",11,,3,1,1,1,1,1,1\n");                                            // names no clip
        const int labels = 12;
        await corpus.AddClipAsync("101.mp4");
        await corpus.AddClipAsync("102_cut_centercrop_960x540_8s.mp4");
        await corpus.AddClipAsync("103.mp4");
        await corpus.AddClipAsync("107.mp4", probeError: "moov atom not found");
        await corpus.AddClipAsync("108.mp4", featureError: "decode failed at frame 12");
        await corpus.AddClipAsync("109.mp4", content: "101.mp4");
        await corpus.AddClipAsync("200.mp4");                              // extra clip, no label
        await corpus.AddClipAsync("201.mp4", probeError: "zero bytes");    // extra clip, lost in Probe
        const int clipsWithoutLabels = 2;
        await corpus.LoseAsync(Stage.Download, "110.mp4");
        await corpus.LoseAsync(Stage.Probe, "107.mp4", "201.mp4");

        var report = await corpus.RunAsync(CorpusFixture.CatalogOf(Scores));

        var entries = await AttritionLedger.ReadAllAsync(corpus.Layout);
        Assert.Equal(labels + clipsWithoutLabels, report.RowsWritten + entries.Count);
        Assert.Equal(["101.mp4", "102_cut_centercrop_960x540_8s.mp4"], corpus.Lines().Select(l => JsonDocument.Parse(l).RootElement.GetProperty("src").GetString()));
        var jsonl = entries.Where(e => e.Stage == Stage.Jsonl).ToDictionary(e => e.Id, e => e.Reason);
        Assert.Contains("MOS 'abc' is not a number", jsonl["103"]);
        Assert.Contains("MOS 5.5 is outside 1-5", jsonl["104"]);
        Assert.Contains("not a finite number", jsonl["105"]);
        Assert.Contains("no clip for this label", jsonl["106"]);
        Assert.Contains("features failed: decode failed at frame 12", jsonl["108.mp4"]);
        Assert.Contains("duplicate content of 101.mp4", jsonl["109.mp4"]);
        Assert.Contains("no label for this clip", jsonl["200.mp4"]);
        Assert.Contains("names no clip", jsonl["scores.csv:13"]);
        Assert.Contains(entries, e => e is { Id: "101", Stage: Stage.Jsonl } && e.Reason.Contains("duplicate id 101 (first row kept: scores.csv:2)"));
        Assert.Equal(9, jsonl.Count);
        Assert.Equal([new StageLoss(Stage.Download, 1), new StageLoss(Stage.Verify, 0), new StageLoss(Stage.Probe, 2), new StageLoss(Stage.Features, 0), new StageLoss(Stage.Jsonl, 9)], report.Losses);
        Assert.Equal(100.0 * 12 / 14, report.AttritionPercent, 9);
        Assert.Equal("id,stage,reason", File.ReadLines(corpus.Layout.Attrition).First());
    }

    [Fact]
    public async Task A_row_parses_with_the_reference_rules_plus_konvid_keys()
    {
        using var corpus = new CorpusFixture();
        var file = CorpusScoreFiles.Redistribution;
        corpus.WriteFile(Scores.Path, file.Text, file.Bom);
        foreach (var clip in file.Clips) await corpus.AddClipAsync(clip);

        await corpus.RunAsync(CorpusFixture.CatalogOf(Scores), new JsonlOptions("konvid-1k-2017-r2", Deep: false, IngestedAt: CorpusFixture.Noon.AddHours(3.5)));

        var bytes = await File.ReadAllBytesAsync(corpus.Layout.CorpusJsonl);
        Assert.NotEqual(0xEF, bytes[0]); // UTF-8 without BOM
        var line = corpus.Lines().Single(l => l.Contains("\"src\":\"8536919744.mp4\""));
        using var row = JsonDocument.Parse(line);
        var keys = row.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys); // Python's sort_keys order
        Assert.Equal(CorpusRow.ReferenceKeys.Concat(CorpusRow.KonvidKeys).Order(StringComparer.Ordinal), keys);
        Assert.DoesNotContain(": ", line);
        Assert.DoesNotContain(", ", line);

        // Python's json makes a float exactly when the literal has '.', 'e' or 'E', an int otherwise.
        var r = row.RootElement;
        foreach (var key in new[] { "framerate", "duration_s", "mos", "mos_std_dev" }) AssertFloat(r.GetProperty(key));
        foreach (var key in new[] { "width", "height", "src_size_bytes", "n_ratings", "encoder_vocab_version" }) AssertInt(r.GetProperty(key));
        foreach (var key in new[] { "src", "src_sha256", "pix_fmt", "encoder_upstream", "corpus", "corpus_version", "ingested_at_utc", "encoder_slot", "feature_set" })
            Assert.Equal(JsonValueKind.String, r.GetProperty(key).ValueKind);
        foreach (var feature in r.GetProperty("features").EnumerateObject()) AssertFloat(feature.Value);

        Assert.Equal("8536919744.mp4", r.GetProperty("src").GetString());
        Assert.Equal(CorpusFixture.ShaOf("KoNViD_1k_videos/8536919744.mp4"), r.GetProperty("src_sha256").GetString());
        Assert.Equal("h264", r.GetProperty("encoder_upstream").GetString());
        Assert.Equal(24000.0 / 1001, r.GetProperty("framerate").GetDouble());
        Assert.Equal(1.22, r.GetProperty("mos").GetDouble());
        Assert.Equal(0.5126, r.GetProperty("mos_std_dev").GetDouble());
        Assert.Equal(114, r.GetProperty("n_ratings").GetInt32());
        Assert.Equal("konvid-1k", r.GetProperty("corpus").GetString());
        Assert.Equal("konvid-1k-2017-r2", r.GetProperty("corpus_version").GetString());
        Assert.Equal("2026-11-25T15:30:00Z", r.GetProperty("ingested_at_utc").GetString());
        Assert.Equal(4, r.GetProperty("encoder_vocab_version").GetInt32());
        Assert.Equal("ugc-mixed", r.GetProperty("encoder_slot").GetString());
        Assert.Equal("nr-v1", r.GetProperty("feature_set").GetString());
        Assert.Equal(16, EncoderVocab.Current.SlotOf(r.GetProperty("encoder_slot").GetString()!));
    }

    [Fact]
    public async Task Unpublished_sd_and_rating_count_are_zero_and_the_catalog_version_is_the_default()
    {
        using var corpus = new CorpusFixture();
        var file = CorpusScoreFiles.Konvid1kMos;
        corpus.WriteFile(Scores.Path, file.Text);
        foreach (var clip in file.Clips) await corpus.AddClipAsync(clip);

        await corpus.RunAsync(CorpusFixture.CatalogOf(Scores));

        var r = JsonDocument.Parse(corpus.Lines()[0]).RootElement;
        Assert.Equal("0.0", r.GetProperty("mos_std_dev").GetRawText());
        Assert.Equal("0", r.GetProperty("n_ratings").GetRawText());
        Assert.Equal("konvid-1k-2017", r.GetProperty("corpus_version").GetString());
    }

    [Fact]
    public async Task A_votes_file_fills_rating_count_and_spread_that_the_scores_leave_unpublished()
    {
        using var corpus = new CorpusFixture("konvid-150k");
        var file = CorpusScoreFiles.K150kB;
        corpus.WriteFile("metadata/k150kb_scores.csv", file.Text);
        // A per-vote table: one row per rating, undocumented extra column first.
        corpus.WriteFile("metadata/k150kb_votes.csv",
            "worker,video_name,rating\nw1,orig_20000001_540_5s.mp4,1\nw2,orig_20000001_540_5s.mp4,2\nw3,orig_20000001_540_5s.mp4,3\n" +
            "w4,orig_20000001_540_5s.mp4,4\nw1,orig_20000002_540_5s.mp4,3\nw2,orig_20000002_540_5s.mp4,3\nw3,orig_20000002_540_5s.mp4,4\n" +
            "w4,orig_20000002_540_5s.mp4,4\nw5,orig_20000002_540_5s.mp4,5\n");
        foreach (var clip in file.Clips) await corpus.AddClipAsync(clip);

        await corpus.RunAsync(CorpusFixture.CatalogOf("konvid-150k", "konvid-150k-2019", 0, 10,
            new ScoreFile("metadata/k150kb_scores.csv", "k150k-b", "metadata/k150kb_votes.csv")));

        var rows = corpus.Lines().Select(l => JsonDocument.Parse(l).RootElement).ToList();
        // Oracle: Python's statistics.stdev([1, 2, 3, 4]) = 1.2909944487358056, stdev([3, 3, 4, 4, 5]) = 0.8366600265340756.
        Assert.Equal(4, rows[0].GetProperty("n_ratings").GetInt32());
        Assert.Equal(1.2909944487358056, rows[0].GetProperty("mos_std_dev").GetDouble(), 12);
        Assert.Equal(5, rows[1].GetProperty("n_ratings").GetInt32());
        Assert.Equal(0.8366600265340756, rows[1].GetProperty("mos_std_dev").GetDouble(), 12);
        Assert.Equal(0, rows[2].GetProperty("n_ratings").GetInt32());
        Assert.Equal(2.75, rows[0].GetProperty("mos").GetDouble()); // mos, not video_score
    }

    [Fact]
    public async Task Adding_a_clip_gives_the_same_file_as_a_run_from_scratch_apart_from_the_timestamp()
    {
        var file = CorpusScoreFiles.Konvid1kAttributes;
        var catalog = CorpusFixture.CatalogOf(Scores);
        using var grown = new CorpusFixture();
        grown.WriteFile(Scores.Path, file.Text, file.Bom);
        await grown.AddClipAsync(file.Clips[0]);
        await grown.AddClipAsync(file.Clips[2]);
        await grown.RunAsync(catalog);
        Assert.Equal(2, grown.Lines().Length);
        Assert.Contains(await AttritionLedger.ReadAllAsync(grown.Layout), e => e.Id == "3339962845" && e.Reason.Contains("no clip"));

        await grown.AddClipAsync(file.Clips[1]);
        await grown.RunAsync(catalog, new JsonlOptions(Deep: false, IngestedAt: CorpusFixture.Noon.AddDays(1)));

        using var fresh = new CorpusFixture();
        fresh.WriteFile(Scores.Path, file.Text, file.Bom);
        foreach (var clip in file.Clips) await fresh.AddClipAsync(clip);
        await fresh.RunAsync(catalog, new JsonlOptions(Deep: false, IngestedAt: CorpusFixture.Noon.AddDays(2)));

        static string WithoutTimestamp(string path) =>
            Regex.Replace(File.ReadAllText(path), "\"ingested_at_utc\":\"[^\"]*\"", "\"ingested_at_utc\":\"\"");
        Assert.Contains("2026-11-26T12:00:00Z", File.ReadAllText(grown.Layout.CorpusJsonl));
        Assert.Equal(WithoutTimestamp(fresh.Layout.CorpusJsonl), WithoutTimestamp(grown.Layout.CorpusJsonl));
        Assert.Equal(3, grown.Lines().Length);
        Assert.Equal(File.ReadAllText(fresh.Layout.Attrition), File.ReadAllText(grown.Layout.Attrition));
        Assert.Empty(Directory.EnumerateFiles(grown.Layout.Root, "*" + AtomicFile.TempSuffix));
    }

    [Fact]
    public async Task Clips_missing_from_the_feature_union_stop_the_run_by_name_unless_partial_is_allowed()
    {
        using var corpus = new CorpusFixture();
        var names = Enumerable.Range(0, 14).Select(i => $"{500 + i}.mp4").ToList();
        corpus.WriteFile(Scores.Path, "flickr_id,mos\n" + string.Concat(names.Select(n => $"{n[..3]},3.5\n")));
        await corpus.AddClipAsync(names[0]);
        await corpus.AddClipAsync(names[1], probed: false);
        foreach (var n in names.Skip(2)) await corpus.AddClipAsync(n, featurised: false);
        var catalog = CorpusFixture.CatalogOf(Scores);

        var refused = await Assert.ThrowsAsync<KonvidException>(() => corpus.RunAsync(catalog));
        Assert.StartsWith("13 clips are neither featurised nor in attrition: 501.mp4, 502.mp4,", refused.Problem);
        Assert.Equal(10, Regex.Matches(refused.Problem, @"\d{3}\.mp4").Count);
        Assert.Contains("--allow-partial", refused.Hint);
        Assert.False(File.Exists(corpus.Layout.CorpusJsonl));

        var report = await corpus.RunAsync(catalog, new JsonlOptions(Deep: false, AllowPartial: true, IngestedAt: CorpusFixture.Noon));
        Assert.Equal(1, report.RowsWritten);
        var losses = await AttritionLedger.ReadAllAsync(corpus.Layout);
        Assert.Equal(13, losses.Count);
        Assert.StartsWith("not probed", losses.Single(e => e.Id == "501.mp4").Reason);
        Assert.All(losses.Where(e => e.Id != "501.mp4"), e => Assert.StartsWith("not featurised", e.Reason));
    }

    [Fact]
    public async Task A_missing_shard_is_named_with_the_shard_to_rerun()
    {
        using var corpus = new CorpusFixture();
        var names = Enumerable.Range(0, 12).Select(i => $"{700 + i}.mp4").ToList();
        corpus.WriteFile(Scores.Path, "flickr_id,mos\n" + string.Concat(names.Select(n => $"{n[..3]},2.5\n")));
        var lost = new Shard(1, 3);
        Assert.Contains(names, lost.Contains); // the property under test needs the failed shard to own clips
        foreach (var n in names)
        {
            var shard = Enumerable.Range(0, 3).Select(i => new Shard(i, 3)).Single(s => s.Contains(n));
            await corpus.AddClipAsync(n, shard: shard, featurised: shard != lost);
        }

        var refused = await Assert.ThrowsAsync<KonvidException>(() => corpus.RunAsync(CorpusFixture.CatalogOf(Scores)));

        Assert.Contains($"{names.Count(lost.Contains)} clips are neither featurised nor in attrition", refused.Problem);
        Assert.All(names.Where(lost.Contains), n => Assert.Contains(n, refused.Problem));
        Assert.Contains("--shard 1/3", refused.Hint);
        Assert.DoesNotContain("--shard 0/3", refused.Hint);
    }

    [Fact]
    public async Task A_konvid_1k_run_fed_the_150k_scores_names_phase2()
    {
        using var corpus = new CorpusFixture();
        corpus.WriteFile("metadata/k150ka_scores.csv", string.Concat(Enumerable.Range(0, 154_745).Select(i => $"orig_{i}_540_5s,3.5\n")));
        var catalog = CorpusFixture.CatalogOf("konvid-1k", "konvid-1k-2017", 1_000, 2_000, new ScoreFile("metadata/k150ka_scores.csv", "auto", null));

        var e = await Assert.ThrowsAsync<KonvidException>(() => corpus.RunAsync(catalog));

        Assert.StartsWith("k150ka_scores.csv has 154,745 labels", e.Problem);
        Assert.Contains("that is KonViD-150k", e.Problem);
        Assert.Equal("run Phase2 (--corpus konvid-150k), or --ignore-label-guard", e.Hint);
    }

    [Fact]
    public async Task A_konvid_150k_run_fed_the_1k_scores_names_phase1_and_the_override_lets_it_through()
    {
        using var corpus = new CorpusFixture("konvid-150k");
        corpus.WriteFile("metadata/KoNViD_1k_mos.csv", "flickr_id,mos\n" + string.Concat(Enumerable.Range(0, 1_200).Select(i => $"{4_000_000 + i},3.25\n")));
        await corpus.AddClipAsync("4000000.mp4");
        var catalog = CorpusFixture.CatalogOf("konvid-150k", "konvid-150k-2019", 100_000, 200_000, new ScoreFile("metadata/KoNViD_1k_mos.csv", "auto", null));

        var e = await Assert.ThrowsAsync<KonvidException>(() => corpus.RunAsync(catalog));
        Assert.StartsWith("KoNViD_1k_mos.csv has 1,200 labels", e.Problem);
        Assert.Contains("that is KoNViD-1k", e.Problem);
        Assert.Equal("run Phase1 (--corpus konvid-1k), or --ignore-label-guard", e.Hint);

        var report = await corpus.RunAsync(catalog, new JsonlOptions(Deep: false, IgnoreLabelGuard: true, IngestedAt: CorpusFixture.Noon));
        Assert.Equal(1, report.RowsWritten);
        Assert.Equal(1_199, report.Losses.Single(l => l.Stage == Stage.Jsonl).Count);
    }

    private static void AssertFloat(JsonElement e)
    {
        Assert.Equal(JsonValueKind.Number, e.ValueKind);
        Assert.Matches("[.eE]", e.GetRawText());
    }

    private static void AssertInt(JsonElement e)
    {
        Assert.Equal(JsonValueKind.Number, e.ValueKind);
        Assert.Matches("^-?[0-9]+$", e.GetRawText());
    }
}
