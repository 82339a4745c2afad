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
        // Each clip or label counts once: 11 keys lost (101's second label row is no lost data: 101 is a row) of 13.
        Assert.Equal(11, report.Lost);
        Assert.Equal(100.0 * 11 / 13, report.AttritionPercent, 9);
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
        foreach (var key in new[] { "width", "height", "src_size_bytes", "n_ratings", "encoder_vocab_version", "rotation", "display_width", "display_height" })
            AssertInt(r.GetProperty(key));
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
        Assert.Contains("that fits KonViD-150k (set A about 154,745 labels", e.Problem);
        Assert.Equal("run Phase2 (--corpus konvid-150k), or --ignore-label-guard to use these labels here", e.Hint);
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
        Assert.Contains("that fits KoNViD-1k (1,200 labels)", e.Problem);
        Assert.Equal("run Phase1 (--corpus konvid-1k), or --ignore-label-guard to use these labels here", e.Hint);

        var report = await corpus.RunAsync(catalog, new JsonlOptions(Deep: false, IgnoreLabelGuard: true, IngestedAt: CorpusFixture.Noon));
        Assert.Equal(1, report.RowsWritten);
        Assert.Equal(1_199, report.Losses.Single(l => l.Stage == Stage.Jsonl).Count);
    }

    [Fact]
    public async Task Set_B_alone_is_named_as_such_and_the_way_out_it_names_builds_every_label_into_a_row_or_attrition()
    {
        using var corpus = new CorpusFixture("konvid-150k");
        // 1,576 labels, as public code ships set B's score file; the guard expects A and B (150,000-160,000).
        var ids = Enumerable.Range(0, 1_576).Select(i => $"orig_{20_000_000 + i}_540_5s").ToList();
        corpus.WriteFile("downloads/k150kb_scores.csv", "video_name,mos,video_score\r\n" + string.Concat(ids.Select((id, i) => $"{id}.mp4,{1 + i % 4}.5,3\r\n")));
        foreach (var id in ids.Take(3)) await corpus.AddClipAsync($"k150kb/{id}.mp4");
        var catalog = CorpusFixture.CatalogOf("konvid-150k", "konvid-150k-2019", 150_000, 160_000, new ScoreFile("downloads/k150kb_scores.csv", "k150k-b", null));

        var e = await Assert.ThrowsAsync<KonvidException>(() => corpus.RunAsync(catalog));
        Assert.StartsWith("k150kb_scores.csv has 1,576 labels, outside 150,000-160,000 for konvid-150k", e.Problem);
        Assert.Contains("that fits KonViD-150k's set B alone (1,576-1,596 labels), not all of KonViD-150k", e.Problem);
        Assert.DoesNotContain("Phase1", e.Hint);
        Assert.Contains("to build set B alone, add --ignore-label-guard", e.Hint);
        Assert.Contains("k150ka_scores.csv", e.Hint);

        // The way out it names works: every label is a row or one attrition entry.
        var report = await corpus.RunAsync(catalog, new JsonlOptions(Deep: false, IgnoreLabelGuard: true, IngestedAt: CorpusFixture.Noon, MaxLoss: 100));
        var losses = await AttritionLedger.ReadAllAsync(corpus.Layout);
        Assert.Equal(3, report.RowsWritten);
        Assert.Equal(ids.Count, report.RowsWritten + losses.Count);
        Assert.All(losses, l => Assert.EndsWith("no clip for this label", l.Reason));
    }

    [Theory]
    [InlineData(1_200, "that fits KoNViD-1k (1,200 labels)")]
    [InlineData(1_590, "that fits KonViD-150k's set B alone")]
    [InlineData(154_745, "that fits KonViD-150k (set A about 154,745 labels")]
    [InlineData(40_000, "that fits no known corpus")]
    public void The_label_guard_says_what_the_count_fits(int count, string fits)
    {
        var catalog = CorpusFixture.CatalogOf("sample", "sample-1", 4, 1_000);
        var e = Assert.Throws<KonvidException>(() => LabelGuardCheck.Check(catalog, [("scores.csv", count)], false, NullProgress.Instance));
        Assert.Contains(fits, e.Problem);
        Assert.Contains("--ignore-label-guard", e.Hint);
    }

    [Fact]
    public async Task Clips_in_any_container_join_their_labels_and_a_clip_lost_with_its_label_counts_once()
    {
        using var corpus = new CorpusFixture();
        string[] containers = ["mp4", "webm", "mkv", "ts", "mov", "avi", "m4v"];
        corpus.WriteFile(Scores.Path, "flickr_id,mos\n" + string.Concat(containers.Select((_, i) => $"{900 + i},{2 + i * 0.25}\n")));
        for (var i = 0; i < containers.Length; i++)
            await corpus.AddClipAsync($"KoNViD_1k_videos/{900 + i}.{containers[i]}", probeError: i >= 5 ? "Invalid data found when processing input" : null);
        await corpus.LoseAsync(Stage.Probe, "905.avi", "906.m4v");

        var report = await corpus.RunAsync(CorpusFixture.CatalogOf(Scores));

        Assert.Equal(containers.Take(5).Select((c, i) => $"{900 + i}.{c}"), corpus.Lines().Select(l => JsonDocument.Parse(l).RootElement.GetProperty("src").GetString()));
        var losses = await AttritionLedger.ReadAllAsync(corpus.Layout);
        Assert.Equal(["905.avi", "906.m4v"], losses.Select(e => e.Id));
        // 7 clips with 7 labels, 2 lost: 2 of 7 (28.6 %), not 2 clips + 2 labels of 9.
        Assert.Equal(2, report.Lost);
        Assert.Equal(100.0 * 2 / 7, report.AttritionPercent, 9);
    }

    [Fact]
    public async Task A_loss_above_the_ceiling_fails_in_one_line_naming_the_rate_and_the_top_reasons_and_replaces_nothing()
    {
        using var corpus = new CorpusFixture();
        var names = Enumerable.Range(0, 10).Select(i => $"{300 + i}").ToList();
        corpus.WriteFile(Scores.Path, "flickr_id,mos\n" + string.Concat(names.Select(n => $"{n},3.5\n")) + "399,7.5\n");
        foreach (var n in names.Take(7)) await corpus.AddClipAsync($"{n}.mp4", probeError: n == "306" ? "moov atom not found" : null);
        await corpus.LoseAsync(Stage.Probe, "306.mp4");
        var catalog = CorpusFixture.CatalogOf(Scores) with { MaxLossPercent = 30 };
        await File.WriteAllTextAsync(corpus.Layout.CorpusJsonl, "the previous corpus\n");

        // 6 rows; lost: 307-309 (no clip), 306 (Probe), 399 (MOS out of range): 5 of 11 = 45.5 %.
        var e = await Assert.ThrowsAsync<KonvidException>(() => corpus.RunAsync(catalog));

        Assert.Equal("5 of 11 clips and labels lost (45.5 %), above the 30 % ceiling of corpora/konvid-1k.yaml max_loss: " +
                     "3 Jsonl: no clip for this label; 1 Jsonl: MOS # is outside #-#; 1 Probe: test loss", e.Problem);
        Assert.Contains("--max-loss 46", e.Hint);
        Assert.Contains(corpus.Layout.Attrition, e.Hint);
        Assert.Equal("the previous corpus\n", await File.ReadAllTextAsync(corpus.Layout.CorpusJsonl));
        Assert.Equal(5, (await AttritionLedger.ReadAllAsync(corpus.Layout)).Count);

        var accepted = await corpus.RunAsync(catalog, new JsonlOptions(Deep: false, IngestedAt: CorpusFixture.Noon, MaxLoss: 46));
        Assert.Equal(6, accepted.RowsWritten);
        Assert.Equal(6, corpus.Lines().Length);
        Assert.Throws<KonvidException>(() => LossCeiling.For(catalog, 101));
    }

    [Fact]
    public async Task A_corpus_without_rows_fails_whatever_the_ceiling()
    {
        using var corpus = new CorpusFixture();
        // The issue's case: a score file whose ids join no clip.
        corpus.WriteFile(Scores.Path, "video_name,mos\n" + string.Concat(Enumerable.Range(0, 4).Select(i => $"clip_{i},3.5\n")));
        foreach (var i in Enumerable.Range(0, 4)) await corpus.AddClipAsync($"{500 + i}.mp4");

        var e = await Assert.ThrowsAsync<KonvidException>(() => corpus.RunAsync(CorpusFixture.CatalogOf(Scores),
            new JsonlOptions(Deep: false, IngestedAt: CorpusFixture.Noon, MaxLoss: 100)));

        Assert.Equal("0 rows: all 8 clips and labels were lost (4 Jsonl: no clip for this label; 4 Jsonl: no label for this clip in scores.csv)", e.Problem);
        Assert.Contains("never accepted", e.Hint);
        Assert.False(File.Exists(corpus.Layout.CorpusJsonl));
        Assert.Equal(8, (await AttritionLedger.ReadAllAsync(corpus.Layout)).Count);
    }

    [Fact]
    public async Task Each_label_takes_its_most_precise_published_MOS_and_both_files_values_land_unrounded()
    {
        using var corpus = new CorpusFixture();
        // As in KoNViD-1k's metadata zip: the attributes file rounds some MOS to 4 decimals, KoNViD_1k_mos.csv has 10.
        corpus.WriteFile("metadata/KoNViD_1k_attributes.csv",
            "flickr_id,download_id,file_name,MOS,ti,si,colorfulness,contrast,blur,vniqe\r\n" +
            "101,1,101_original_centercrop_960x540_8s.mp4,3.1235,0,0,0,0,0,0\r\n" +        // rounded: the mos file's value wins
            "102,2,102_original_centercrop_960x540_8s.mp4,2.718281828459,0,0,0,0,0,0\r\n" + // more precise than the mos file's
            "103,3,103_original_centercrop_960x540_8s.mp4,4.5,0,0,0,0,0,0\r\n" +           // disagrees beyond rounding
            "104,4,104_original_centercrop_960x540_8s.mp4,1.9,0,0,0,0,0,0\r\n");           // the mos file lacks it
        corpus.WriteFile("metadata/KoNViD_1k_mos.csv",
            "flickr_id,mos\n101,3.1234567891\n102,2.7182818285\n103,4.1234567890\n105,3.3333333333\n");
        foreach (var id in new[] { 101, 102, 103, 104, 105 }) await corpus.AddClipAsync($"KoNViD_1k_videos/{id}.mp4");

        var report = await corpus.RunAsync(CorpusFixture.CatalogOf(
            new ScoreFile("metadata/KoNViD_1k_attributes.csv", "konvid-1k-attributes", null, "metadata/KoNViD_1k_mos.csv")));

        var mos = corpus.Lines().Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.GetProperty("src").GetString()!, r => r.GetProperty("mos").GetRawText());
        Assert.Equal(new Dictionary<string, string>
        {
            ["101.mp4"] = "3.1234567891", ["102.mp4"] = "2.718281828459", ["104.mp4"] = "1.9", ["105.mp4"] = "3.3333333333",
        }, mos);
        var loss = Assert.Single(await AttritionLedger.ReadAllAsync(corpus.Layout));
        Assert.Equal("103", loss.Id);
        Assert.Equal("KoNViD_1k_attributes.csv:4: MOS 4.5 disagrees with 4.123456789 in KoNViD_1k_mos.csv:4 beyond rounding", loss.Reason);
        Assert.Equal(5, report.Labels);
    }

    [Fact]
    public async Task A_missing_precise_MOS_file_keeps_the_score_files_values()
    {
        using var corpus = new CorpusFixture();
        var file = CorpusScoreFiles.Konvid1kAttributes;
        corpus.WriteFile(Scores.Path, file.Text, file.Bom);
        foreach (var clip in file.Clips) await corpus.AddClipAsync(clip);

        var report = await corpus.RunAsync(CorpusFixture.CatalogOf(new ScoreFile(Scores.Path, "auto", null, "metadata/absent_mos.csv")));

        Assert.Equal(3, report.RowsWritten);
    }

    [Theory]
    [InlineData("konvid-1k-flickr-mos-framerate", "flickr-mos-framerate")]
    [InlineData("konvid-1k-path-duration-fps-mos", "path-duration-fps-mos")]
    [InlineData("konvid-1k-mos-copy", "konvid-1k-mos")]
    public async Task A_declared_layout_reads_its_published_shape_into_rows(string file, string layout)
    {
        var shape = CorpusScoreFiles.Named(file);
        using var corpus = new CorpusFixture();
        corpus.WriteFile(Scores.Path, shape.Text, shape.Bom);
        foreach (var clip in shape.Clips) await corpus.AddClipAsync(clip);

        var report = await corpus.RunAsync(CorpusFixture.CatalogOf(Scores with { Layout = layout }));

        Assert.Equal(3, report.RowsWritten);
        Assert.Equal(0, report.TotalLosses);
        Assert.Equal([1.22, 3.1, 4.64], corpus.Lines().Select(l => JsonDocument.Parse(l).RootElement.GetProperty("mos").GetDouble()).Order());
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

    [Fact]
    public async Task A_row_says_how_the_clip_is_displayed_beside_its_stored_geometry()
    {
        using var corpus = new CorpusFixture();
        var file = CorpusScoreFiles.Redistribution;
        corpus.WriteFile(Scores.Path, file.Text, file.Bom);
        var rotations = new[] { -90, 0, 180 };
        for (var i = 0; i < file.Clips.Length; i++) await corpus.AddClipAsync(file.Clips[i], rotation: rotations[i % rotations.Length]);

        await corpus.RunAsync(CorpusFixture.CatalogOf(Scores));

        var rows = corpus.Lines().Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(file.Clips.Length, rows.Count);
        foreach (var rotation in rotations)
            Assert.Contains(rows, r => r.GetProperty("rotation").GetInt32() == rotation);
        foreach (var r in rows)
        {
            // The stored geometry stays as the reference has it; a quarter turn shows the clip in portrait.
            Assert.Equal((960, 540), (r.GetProperty("width").GetInt32(), r.GetProperty("height").GetInt32()));
            var portrait = Math.Abs(r.GetProperty("rotation").GetInt32()) == 90;
            Assert.Equal(portrait ? (540, 960) : (960, 540), (r.GetProperty("display_width").GetInt32(), r.GetProperty("display_height").GetInt32()));
        }
    }
}
