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

        var run = await KonvidProcess.RunAsync([.. SamplePipeline.Args("Jsonl", work), "--skip", "Download"], SamplePipeline.Env);

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

    [Fact(Skip = "Known gap, reported to Media/Features: a faststart MP4 cut mid-mdat keeps its moov, passes Probe (frame_count from the moov) "
                 + "and Features (ffmpeg decodes what is there) and becomes a row; Features does not compare decoded frames with probe's frame_count")]
    public async Task A_faststart_clip_cut_in_half_goes_to_attrition_instead_of_becoming_a_row()
    {
        using var dir = new Scratch();
        var work = sample.CopyTo(dir.Path);
        var clips = Path.Combine(work, "sample", "clips", "KoNViD_1k_videos");
        var victim = Directory.GetFiles(clips).Order(StringComparer.Ordinal).First();
        var whole = await File.ReadAllBytesAsync(victim);
        await File.WriteAllBytesAsync(victim, whole[..(whole.Length / 2)]);

        var run = await KonvidProcess.RunAsync([.. SamplePipeline.Args("Jsonl", work), "--skip", "Download"], SamplePipeline.Env);

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
