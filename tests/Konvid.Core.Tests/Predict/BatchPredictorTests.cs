using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Konvid.Core.Features.Deep;
using Konvid.Core.Predict;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Predict;

/// <summary>
/// Batch Predict with a head trained on synthetic rows of real nr-v1 feature names, on real clips made with ffmpeg:
/// its MOS means nothing, but every clip it scores went through ffprobe, the decoder and the heads.
/// </summary>
public class BatchPredictorTests
{
    private static async Task<(TempDir Dir, string Models, string Folder)> SetUpAsync()
    {
        var dir = new TempDir();
        var (layout, _) = await ModelFixtures.TrainAsync(dir["work"]);
        var folder = Directory.CreateDirectory(dir["in"]).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        await Ffmpeg.MakeClipAsync(Path.Combine(folder, "a.mp4"), "testsrc2=size=160x120:rate=10", 1);
        await Ffmpeg.MakeClipAsync(Path.Combine(folder, "sub", "b.mkv"), "mandelbrot=size=160x120:rate=10", 1);
        await File.WriteAllBytesAsync(Path.Combine(folder, "broken.mp4"), RandomNumberGenerator.GetBytes(4000));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a clip");
        return (dir, layout.Models, folder);
    }

    [Fact]
    public async Task A_folder_gives_a_row_per_video_file_the_broken_one_with_its_error_and_a_rerun_scores_nothing_new()
    {
        var (dir, models, folder) = await SetUpAsync();
        using var _ = dir;
        var outFile = dir["scores.jsonl"];
        var options = new PredictOptions(models, DeviceKind.Cpu, Jobs: 2, Out: outFile);
        var stdout = new StringWriter();

        var e = await Assert.ThrowsAsync<KonvidException>(() => BatchPredictor.RunAsync([folder], options, NullProgress.Instance, stdout, default));

        Assert.StartsWith("Predict: 1 of 3 clips failed", e.Problem);
        Assert.Equal(2, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var rows = File.ReadAllLines(outFile).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(r => Path.GetFileName(r.GetProperty("path").GetString()!));
        Assert.Equal(["a.mp4", "b.mkv", "broken.mp4"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("cannot be decoded", rows["broken.mp4"].GetProperty("error").GetString());
        foreach (var name in new[] { "a.mp4", "b.mkv" })
        {
            var row = rows[name];
            Assert.Equal(JsonValueKind.Null, row.GetProperty("error").ValueKind);
            Assert.Equal((row.GetProperty("mos_seed0").GetDouble() + row.GetProperty("mos_seed1").GetDouble()) / 2, row.GetProperty("mos").GetDouble(), 9);
            var file = Directory.EnumerateFiles(folder, name, SearchOption.AllDirectories).Single();
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), row.GetProperty("sha256").GetString());
        }

        var again = new StringWriter();
        await Assert.ThrowsAsync<KonvidException>(() => BatchPredictor.RunAsync([folder], options, NullProgress.Instance, again, default));

        Assert.Equal("", again.ToString());
        Assert.Equal(3, File.ReadAllLines(outFile).Length);
    }

    [Fact]
    public async Task Csv_out_with_a_list_file_and_a_glob_scores_each_clip_once_and_json_stdout_is_one_document()
    {
        var (dir, models, folder) = await SetUpAsync();
        using var _ = dir;
        var list = dir["clips.txt"];
        await File.WriteAllLinesAsync(list, ["# the good ones", "in/a.mp4", "", "in/sub/b.mkv"]);
        var outFile = dir["scores.csv"];
        var stdout = new StringWriter();

        var report = await BatchPredictor.RunAsync([list, Path.Combine(folder, "**", "*.mkv")],
            new PredictOptions(models, DeviceKind.Cpu, Jobs: 1, Out: outFile, Json: true), NullProgress.Instance, stdout, default);

        Assert.Equal(2, report.Clips.Count);
        using var doc = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(2, doc.RootElement.GetProperty("scored").GetInt32());
        var lines = File.ReadAllLines(outFile);
        Assert.Equal("path,sha256,model,mos,mos_seed0,mos_seed1,error", lines[0]);
        Assert.Equal(3, lines.Length);
        var mos = double.Parse(lines[1].Split(',')[3], CultureInfo.InvariantCulture);
        Assert.Equal(report.Clips[0].Mos!.Value, mos, 12);

        var again = await BatchPredictor.RunAsync([Path.Combine(folder, "[a]*.mp4"), Path.Combine(folder, "sub")],
            new PredictOptions(models, DeviceKind.Cpu, Out: outFile), NullProgress.Instance, new StringWriter(), default);
        Assert.Empty(again.Clips);
        Assert.Equal(2, again.AlreadyScored);
    }

    [Fact]
    public async Task An_out_file_of_another_model_is_refused_not_mixed()
    {
        var (dir, models, folder) = await SetUpAsync();
        using var _ = dir;
        var outFile = dir["scores.jsonl"];
        await File.WriteAllTextAsync(outFile, "{\"path\":\"x.mp4\",\"sha256\":\"ab\",\"model\":\"0123456789ab\",\"mos\":3,\"mos_seed0\":3,\"mos_seed1\":3,\"error\":null}\n");

        var e = await Assert.ThrowsAsync<KonvidException>(() => BatchPredictor.RunAsync([Path.Combine(folder, "a.mp4")],
            new PredictOptions(models, DeviceKind.Cpu, Out: outFile), NullProgress.Instance, new StringWriter(), default));
        Assert.Contains("another model", e.Message);
    }

    [Fact]
    public void A_path_that_names_nothing_is_one_line()
    {
        var e = Assert.Throws<KonvidException>(() => ClipSet.Expand(["nowhere/x.mp4"], Path.GetTempPath()));
        Assert.Contains("no such file or folder", e.Problem);
    }
}
