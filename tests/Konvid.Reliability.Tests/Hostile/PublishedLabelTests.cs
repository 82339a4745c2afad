using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Konvid.Core.Workspace;
using Konvid.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Konvid.Reliability.Tests.Hostile;

/// <summary>
/// Label files in the shapes public repositories publish for KoNViD-1k, written here from the tiny sample's own labels
/// in place of its attributes file, and clips in other containers, through ./build.sh Jsonl (Download skipped: it would
/// restore the published files): every label becomes a row or an attrition entry, and the exit code is honest (0 rows,
/// or a loss above the catalog's ceiling: exit 1 with one line naming the rate and the reasons).
/// </summary>
public class PublishedLabelTests(DownloadedSample sample, ITestOutputHelper output) : IClassFixture<DownloadedSample>
{
    private const string Metadata = "sample/metadata/KoNViD_1k_metadata";
    private const string Attributes = Metadata + "/KoNViD_1k_attributes.csv";
    private const string MosFile = Metadata + "/KoNViD_1k_mos.csv";

    public static TheoryData<string> Shapes => new() { "mp4-ids-crlf-quoted", "flickr-mos-framerate", "path-duration-fps-mos" };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_published_label_shape_in_place_of_the_attributes_file_makes_every_clip_a_row(string shape)
    {
        using var dir = new Scratch();
        var work = sample.CopyTo(dir.Path);
        var labels = await LabelsAsync(work);
        await File.WriteAllTextAsync(Path.Combine(work, Attributes), shape switch
        {
            // flickr_id written as the clip's file name, quoted with spaces around, CRLF, no line break after the last row.
            "mp4-ids-crlf-quoted" => "flickr_id,mos\r\n" + string.Join("\r\n", labels.Select((l, i) => i % 2 == 0 ? $" \"{l.Id}.mp4\" ,{l.Mos}" : $"{l.Id}.mp4,\"{l.Mos}\"")),
            "flickr-mos-framerate" => string.Concat(labels.Select(l => $"{l.Id},{l.Mos},25\n")),
            "path-duration-fps-mos" => string.Concat(labels.Select(l => $"KoNViD_1k_videos/{l.Id}.mp4, 1.0, 25.0, {l.Mos}\n")),
            _ => throw new ArgumentException(shape),
        });

        var run = await JsonlAsync(work);

        Assert.True(run.ExitCode == 0, run.Output);
        var rows = Rows(work);
        Assert.Equal(labels.Select(l => l.Id).Order(StringComparer.Ordinal), rows.Keys.Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal));
        foreach (var l in labels) Assert.Equal(double.Parse(l.Mos, CultureInfo.InvariantCulture), rows[$"{l.Id}.mp4"].GetProperty("mos").GetDouble());
        Assert.Empty(await AttritionLedger.ReadAllAsync(new CorpusLayout(work, "sample")));
    }

    [Fact]
    public async Task Clips_in_webm_mkv_ts_mov_and_avi_join_their_labels()
    {
        using var dir = new Scratch();
        var work = sample.CopyTo(dir.Path);
        var labels = await LabelsAsync(work);
        var clips = Path.Combine(work, "sample", "clips", "KoNViD_1k_videos");
        string[] containers = ["webm", "mkv", "ts", "mov", "avi"];
        for (var i = 0; i < containers.Length; i++)
        {
            var mp4 = Path.Combine(clips, labels[i].Id + ".mp4");
            // webm carries VP9, avi the MPEG-4 Part 2 it is known for (an avi remux of H.264 with B-frames declares twice
            // its frames); the others take the H.264 stream as it is.
            string[] codec = containers[i] switch
            {
                "webm" => ["-c:v", "libvpx-vp9", "-b:v", "200k"],
                "avi" => ["-c:v", "mpeg4", "-q:v", "3"],
                _ => ["-c", "copy"],
            };
            await FfmpegAsync(["-i", "file:" + mp4, .. codec, "file:" + Path.ChangeExtension(mp4, containers[i])]);
            File.Delete(mp4);
        }

        var run = await JsonlAsync(work);

        Assert.True(run.ExitCode == 0, run.Output);
        var rows = Rows(work);
        Assert.Equal(labels.Count, rows.Count);
        for (var i = 0; i < containers.Length; i++) Assert.Contains($"{labels[i].Id}.{containers[i]}", rows.Keys);
        Assert.Empty(await AttritionLedger.ReadAllAsync(new CorpusLayout(work, "sample")));
        Assert.Contains("0 clips or labels lost (0 %", run.Output);
    }

    [Fact]
    public async Task A_loss_above_the_ceiling_exits_1_in_one_line_and_max_loss_accepts_it()
    {
        using var dir = new Scratch();
        var work = sample.CopyTo(dir.Path);
        var labels = await LabelsAsync(work);
        // Three clips lose their labels in both published files: 3 of 12 (25 %) against the sample's 5 %.
        await WriteLabelsAsync(work, labels.Skip(3).ToList());

        var refused = await JsonlAsync(work);

        output.WriteLine(refused.Output);
        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.Output.Split('\n'), l => l.StartsWith("Jsonl: 3 of 12 clips and labels lost", StringComparison.Ordinal));
        Assert.Contains("(25 %), above the 5 % ceiling of corpora/sample.yaml max_loss: 3 Jsonl: no label for this clip", line);
        Assert.Contains("--max-loss 25", refused.Output);
        Assert.DoesNotContain("   at ", refused.Output);
        Assert.False(File.Exists(Path.Combine(work, "sample", "sample.jsonl")));
        Assert.False(File.Exists(Path.Combine(work, "sample", ".targets", "Jsonl.json")));
        Assert.Equal(3, (await AttritionLedger.ReadAllAsync(new CorpusLayout(work, "sample"))).Count);

        var accepted = await JsonlAsync(work, "--max-loss", "25");

        Assert.True(accepted.ExitCode == 0, accepted.Output);
        Assert.Equal(9, Rows(work).Count);
    }

    [Fact]
    public async Task A_corpus_that_lost_every_clip_exits_1_even_with_max_loss_100()
    {
        using var dir = new Scratch();
        var work = sample.CopyTo(dir.Path);
        // Labels of another corpus's clips: none joins.
        await WriteLabelsAsync(work, (await LabelsAsync(work)).Select((l, i) => (Id: $"{7_000_000_000L + i}", l.Mos)).ToList());

        var run = await JsonlAsync(work, "--max-loss", "100");

        output.WriteLine(run.Output);
        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.Output.Split('\n'), l => l.StartsWith("Jsonl: 0 rows: all 24 clips and labels were lost (12 Jsonl: no clip for this label; 12 Jsonl: no label for this clip", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", run.Output);
        Assert.False(File.Exists(Path.Combine(work, "sample", "sample.jsonl")));
    }

    [Fact]
    public async Task KonViD_150k_with_set_B_alone_is_named_by_the_guard_and_its_way_out_makes_every_label_a_row_or_a_loss()
    {
        using var dir = new Scratch();
        var labels = await LabelsAsync(sample.CopyTo(Path.Combine(dir.Path, "sample-copy")));
        var work = Path.Combine(dir.Path, "work");
        var corpus = Path.Combine(work, "konvid-150k");
        // Set B as public code ships it: 1,576 labels, 12 of them with a clip here (the tiny sample's, under set B's names).
        Directory.CreateDirectory(Path.Combine(corpus, "clips", "k150kb"));
        foreach (var l in labels)
            File.Copy(Path.Combine(sample.Clips, l.Id + ".mp4"), Path.Combine(corpus, "clips", "k150kb", $"orig_{l.Id}_540_5s.mp4"));
        var scores = new StringBuilder("video_name,mos,video_score\r\n");
        foreach (var l in labels) scores.Append(CultureInfo.InvariantCulture, $"orig_{l.Id}_540_5s.mp4,{l.Mos},3.0\r\n");
        for (var i = labels.Count; i < 1_576; i++) scores.Append(CultureInfo.InvariantCulture, $"orig_{80_000_000 + i}_540_5s.mp4,3.5,3.4\r\n");
        Directory.CreateDirectory(Path.Combine(corpus, "downloads"));
        await File.WriteAllTextAsync(Path.Combine(corpus, "downloads", "k150kb_scores.csv"), scores.ToString());
        await File.WriteAllTextAsync(Path.Combine(corpus, "downloads", "k150ka_scores.csv"), ""); // set A's scores: not there
        string[] args = ["Jsonl", "--corpus", "konvid-150k", "--work-dir", work, "--skip", "Download", "--deep-features", "false", "--jobs", "2"];

        var refused = await KonvidProcess.RunAsync(args);

        output.WriteLine(refused.Output);
        Assert.Equal(1, refused.ExitCode);
        Assert.Single(refused.Output.Split('\n'), l => l.StartsWith("Jsonl: k150ka_scores.csv + k150kb_scores.csv have 1,576 labels", StringComparison.Ordinal)
                                                       && l.Contains("that fits KonViD-150k's set B alone"));
        Assert.DoesNotContain("Phase1", refused.Output);

        // The way out it names; --max-loss 100 only because this set B has clips for 12 of its labels, not 1,577.
        var built = await KonvidProcess.RunAsync([.. args, "--ignore-label-guard", "--max-loss", "100"]);

        output.WriteLine(built.Output);
        Assert.True(built.ExitCode == 0, built.Output);
        var rows = File.ReadAllLines(Path.Combine(corpus, "konvid_150k.jsonl"));
        var losses = await AttritionLedger.ReadAllAsync(new CorpusLayout(work, "konvid-150k"));
        Assert.Equal(labels.Count, rows.Length);
        Assert.Equal(1_576, rows.Length + losses.Count);
        Assert.All(losses, e => Assert.EndsWith("no clip for this label", e.Reason));
    }

    private static Task<KonvidProcess.Result> JsonlAsync(string work, params string[] extra) =>
        KonvidProcess.RunAsync([.. SamplePipeline.Args("Jsonl", work), "--skip", "Download", .. extra], SamplePipeline.Env);

    /// <summary>The sample's published labels (flickr id, MOS as written), from its KoNViD_1k_mos.csv.</summary>
    private static async Task<List<(string Id, string Mos)>> LabelsAsync(string work) =>
        (await File.ReadAllLinesAsync(Path.Combine(work, MosFile))).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',')).Select(f => (f[0], f[1])).ToList();

    /// <summary>Both published label files (attributes and mos) with exactly these labels.</summary>
    private static async Task WriteLabelsAsync(string work, IReadOnlyList<(string Id, string Mos)> labels)
    {
        var attributes = new StringBuilder("flickr_id,download_id,file_name,MOS,ti,si,colorfulness,contrast,blur,vniqe\n");
        foreach (var (id, mos) in labels) attributes.Append(CultureInfo.InvariantCulture, $"{id},1,{id}_original_centercrop_960x540_8s.mp4,{mos},0,0,0,0,0,0\n");
        await File.WriteAllTextAsync(Path.Combine(work, Attributes), attributes.ToString());
        await File.WriteAllTextAsync(Path.Combine(work, MosFile), "flickr_id,mos\n" + string.Concat(labels.Select(l => $"{l.Id},{l.Mos}\n")));
    }

    private static Dictionary<string, JsonElement> Rows(string work) =>
        File.ReadAllLines(Path.Combine(work, "sample", "sample.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.GetProperty("src").GetString()!, r => r);

    private static async Task FfmpegAsync(string[] args)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y" }.Concat(args)) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {error}");
    }
}
