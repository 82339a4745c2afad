using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Konvid.Core.Workspace;
using Konvid.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Konvid.Reliability.Tests.Hostile;

/// <summary>
/// Download is skipped: it would restore the published score file over the edited one.
/// Garbage in the clips folder and in the score file, through ./build.sh Jsonl (Verify, Probe, Features, Jsonl): each bad
/// item ends in attrition.csv with a reason (or the run stops with a one-line error), and every good clip becomes a row.
/// </summary>
public class HostileCorpusTests(DownloadedSample sample, ITestOutputHelper output) : IClassFixture<DownloadedSample>
{
    private const string Attributes = "sample/metadata/KoNViD_1k_metadata/KoNViD_1k_attributes.csv";

    [Fact]
    public async Task Broken_clips_go_to_attrition_with_the_tools_reason_and_hostile_names_are_decoded_as_plain_files()
    {
        using var dir = new Scratch();
        var work = sample.CopyTo(dir.Path);
        var clips = Path.Combine(work, "sample", "clips", "KoNViD_1k_videos");
        var good = Directory.GetFiles(clips).Length;
        await File.WriteAllBytesAsync(Path.Combine(clips, "9000000001.mp4"), []);
        await File.WriteAllTextAsync(Path.Combine(clips, "9000000002.mp4"), "this is a text file, not a video\n");
        // ffmpeg writes the moov box last unless asked for faststart: cut in half, the file has no moov.
        var cut = Path.Combine(clips, "9000000003.mp4");
        await MakeClipAsync(cut, hue: 10);
        var whole = await File.ReadAllBytesAsync(cut);
        await File.WriteAllBytesAsync(cut, whole[..(whole.Length / 2)]);
        // Names ffmpeg would read as options, or a shell would split, must reach the tools as file names and nothing else.
        string[] hostile = ["-y.mp4", "-i evil.mp4", "--help.mp4", "a b 'single' \"double\".mp4", "ünïcødé 映像.mp4"];
        for (var i = 0; i < hostile.Length; i++) await MakeClipAsync(Path.Combine(clips, hostile[i]), hue: 40 * (i + 1));
        var labels = new StringBuilder(await File.ReadAllTextAsync(Path.Combine(work, Attributes)));
        foreach (var id in new[] { "9000000001", "9000000002", "9000000003" }.Concat(hostile.Select(h => h[..^4])))
            labels.Append(Csv(id)).Append(",1,").Append(Csv(id + ".mp4")).Append(",3.5,0,0,0,0,0,0\n");
        await File.WriteAllTextAsync(Path.Combine(work, Attributes), labels.ToString());
        var before = RepoFiles();

        // 3 broken clips of 20 (15 %) are above the sample's 5 % ceiling: accepted here, the losses are the point.
        var run = await KonvidProcess.RunAsync([.. SamplePipeline.Args("Jsonl", work), "--skip", "Download", "--max-loss", "15"], SamplePipeline.Env);

        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, run.Output);
        var attrition = (await AttritionLedger.ReadAllAsync(new CorpusLayout(work, "sample"))).ToDictionary(e => e.Id, e => $"{e.Stage}: {e.Reason}");
        output.WriteLine(string.Join('\n', attrition.Select(a => $"{a.Key} -> {a.Value}")));
        var rows = Rows(work);
        Assert.Equal(good + hostile.Length, rows.Count);
        foreach (var name in hostile) Assert.Contains(name, rows.Keys);
        Assert.StartsWith("Probe:", attrition["9000000001.mp4"]);
        Assert.StartsWith("Probe:", attrition["9000000002.mp4"]);
        Assert.StartsWith("Probe:", attrition["9000000003.mp4"]);
        Assert.Contains("moov atom not found", attrition["9000000003.mp4"]);
        Assert.All(attrition.Values, reason => Assert.DoesNotContain('\n', reason));
        // No option took effect: nothing new appeared next to the clips, in the work dir's parent or in the repository.
        Assert.Equal(good + 3 + hostile.Length, Directory.GetFiles(clips).Length);
        Assert.Equal(before, RepoFiles());
    }

    [Fact]
    public async Task A_score_file_with_BOM_CRLF_quotes_duplicates_NaN_and_out_of_range_MOS_keeps_every_good_label_and_names_every_bad_one()
    {
        using var dir = new Scratch();
        var work = sample.CopyTo(dir.Path);
        var lines = (await File.ReadAllLinesAsync(Path.Combine(work, Attributes))).Where(l => l.Length > 0).ToList();
        var header = lines[0];
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var ids = rows.Select(r => r[0]).ToList();
        string Quoted(string[] r) => string.Join(',', r.Select(f => "\"" + f + "\""));
        string WithMos(string[] r, string mos) => Quoted([.. r[..3], mos, .. r[4..]]);
        var bad = new Dictionary<string, string>
        {
            [ids[1]] = WithMos(rows[1], "NaN"),
            [ids[2]] = WithMos(rows[2], "7.5"),
            [ids[3]] = WithMos(rows[3], "-1"),
            [ids[4]] = WithMos(rows[4], ""),
            [ids[5]] = Quoted(rows[5][..2]),
        };
        var text = new StringBuilder("\uFEFF" + header + "\r\n");
        for (var i = 0; i < rows.Count; i++) text.Append(bad.GetValueOrDefault(ids[i]) ?? Quoted(rows[i])).Append("\r\n");
        text.Append(WithMos(rows[0], "1.0")).Append("\r\n"); // a second label for the first clip: the first one wins
        await File.WriteAllTextAsync(Path.Combine(work, Attributes), text.ToString(), new UTF8Encoding(false));

        // 5 bad labels of 12 (42 %) are above the sample's 5 % ceiling: accepted here, the losses are the point.
        var run = await KonvidProcess.RunAsync([.. SamplePipeline.Args("Jsonl", work), "--skip", "Download", "--max-loss", "42"], SamplePipeline.Env);

        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, run.Output);
        var attrition = await AttritionLedger.ReadAllAsync(new CorpusLayout(work, "sample"));
        output.WriteLine(string.Join('\n', attrition.Select(a => $"{a.Id} -> {a.Stage}: {a.Reason}")));
        var corpus = Rows(work);
        // Every clip whose label is good is a row (rows lost: 0); the first clip keeps its first label, not the duplicate's 1.0.
        Assert.Equal(ids.Where(id => !bad.ContainsKey(id)).Order(StringComparer.Ordinal),
            corpus.Keys.Select(k => k.Split('_')[0].Replace(".mp4", "")).Order(StringComparer.Ordinal));
        var first = corpus.Single(r => r.Key.StartsWith(ids[0])).Value;
        Assert.Equal(double.Parse(rows[0][3], System.Globalization.CultureInfo.InvariantCulture), first.GetProperty("mos").GetDouble(), 4);
        foreach (var id in bad.Keys)
            Assert.Contains(attrition, e => e.Id.StartsWith(id) && e.Stage == Stage.Jsonl);
        Assert.Contains(attrition, e => e.Id.StartsWith(ids[0]) && e.Reason.Contains("duplicate"));
        Assert.All(attrition, e => Assert.DoesNotContain('\n', e.Reason));
    }

    [Fact]
    public async Task A_score_file_without_a_MOS_column_stops_Jsonl_with_a_one_line_error_naming_the_file()
    {
        using var dir = new Scratch();
        var work = sample.CopyTo(dir.Path);
        var lines = await File.ReadAllLinesAsync(Path.Combine(work, Attributes));
        await File.WriteAllLinesAsync(Path.Combine(work, Attributes), lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 3))));

        var run = await KonvidProcess.RunAsync([.. SamplePipeline.Args("Jsonl", work), "--skip", "Download"], SamplePipeline.Env);

        output.WriteLine(run.Output);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("Jsonl:") && l.Contains("KoNViD_1k_attributes.csv"));
        Assert.DoesNotContain("   at ", run.Output);
        Assert.False(File.Exists(Path.Combine(work, "sample", "sample.jsonl")));
        Assert.False(File.Exists(Path.Combine(work, "sample", ".targets", "Jsonl.json")));
    }

    [Fact]
    public async Task A_score_file_ten_times_too_large_for_the_corpus_is_refused_by_the_label_guard()
    {
        using var dir = new Scratch();
        var work = sample.CopyTo(dir.Path);
        var text = new StringBuilder(await File.ReadAllTextAsync(Path.Combine(work, Attributes)));
        for (var i = 0; i < 10_000; i++) text.Append(7_000_000_000L + i).Append(",1,x.mp4,3.0,0,0,0,0,0,0\n");
        await File.WriteAllTextAsync(Path.Combine(work, Attributes), text.ToString());

        var run = await KonvidProcess.RunAsync([.. SamplePipeline.Args("Jsonl", work), "--skip", "Download"], SamplePipeline.Env);

        output.WriteLine(run.Output);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--ignore-label-guard", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
        Assert.False(File.Exists(Path.Combine(work, "sample", "sample.jsonl")));
    }

    [Fact]
    public async Task A_faststart_clip_cut_in_half_goes_to_attrition_instead_of_becoming_a_row()
    {
        using var dir = new Scratch();
        var work = sample.CopyTo(dir.Path);
        var clips = Path.Combine(work, "sample", "clips", "KoNViD_1k_videos");
        var victim = Directory.GetFiles(clips).Order(StringComparer.Ordinal).First();
        var whole = await File.ReadAllBytesAsync(victim);
        await File.WriteAllBytesAsync(victim, whole[..(whole.Length / 2)]);

        // 1 of 12 (8.3 %) is above the sample's 5 % ceiling: accepted here, the loss is the point.
        var run = await KonvidProcess.RunAsync([.. SamplePipeline.Args("Jsonl", work), "--skip", "Download", "--max-loss", "9"], SamplePipeline.Env);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.DoesNotContain(Path.GetFileName(victim), Rows(work).Keys);
        Assert.Contains(await AttritionLedger.ReadAllAsync(new CorpusLayout(work, "sample")), e => e.Id == Path.GetFileName(victim));
    }

    private static Dictionary<string, JsonElement> Rows(string work) =>
        File.ReadAllLines(Path.Combine(work, "sample", "sample.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.GetProperty("src").GetString()!, r => r);

    private static string Csv(string field) => field.IndexOfAny([',', '"', '\'', ' ']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    private static IReadOnlyList<string> RepoFiles() =>
        Directory.EnumerateFiles(KonvidProcess.RepoRoot, "*", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();

    private static async Task MakeClipAsync(string path, int hue)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=1",
                     "-vf", $"hue=h={hue}", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-f", "mp4", "file:" + path })
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not make {path}: {error}");
    }
}
