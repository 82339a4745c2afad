using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Corpora;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Corpora;

public class SampleCorpusTests(CorporaSampleFixture fixture) : IClassFixture<CorporaSampleFixture>
{
    private const string Attributes = "KoNViD_1k_metadata/KoNViD_1k_attributes.csv";
    private const string MosCsv = "KoNViD_1k_metadata/KoNViD_1k_mos.csv";

    private SampleOrigin Origin => fixture.Origin;

    [Fact]
    public async Task Videos_zip_has_KoNViD_1k_layout_with_one_h264_clip_per_flickr_id()
    {
        var entries = CorporaSample.EntryNames(Path.Combine(fixture.Dir, "KoNViD_1k_videos.zip"));

        Assert.Equal(SampleOptions.Tiny.Clips, Origin.Clips.Count);
        Assert.Equal(["KoNViD_1k_videos/", .. Origin.Clips.Select(c => $"KoNViD_1k_videos/{c.FlickrId}.mp4").Order(StringComparer.Ordinal)], entries);
        Assert.All(Origin.Clips, c => Assert.Matches(@"^[1-9]\d{9}$", c.FlickrId.ToString(CultureInfo.InvariantCulture)));

        using var temp = new TempDir();
        var clip = Origin.Clips[^1];
        await CorporaSample.ExtractAsync(Origin.VideosZip, $"KoNViD_1k_videos/{clip.FileName}", temp["clip.mp4"]);
        var stream = JsonDocument.Parse(await Ffmpeg.ProbeJsonAsync(temp["clip.mp4"])).RootElement.GetProperty("streams")[0];
        Assert.Equal("h264", stream.GetProperty("codec_name").GetString());
        Assert.Equal("yuv420p", stream.GetProperty("pix_fmt").GetString());
        Assert.Equal(clip.Width, stream.GetProperty("width").GetInt32());
        Assert.Equal(clip.Height, stream.GetProperty("height").GetInt32());
    }

    [Fact]
    public void Metadata_zip_has_the_real_attributes_header_and_historical_file_names()
    {
        Assert.Equal(["KoNViD_1k_metadata/", Attributes, MosCsv], CorporaSample.EntryNames(Origin.MetadataZip));

        var attributes = CorporaSample.ReadText(Origin.MetadataZip, Attributes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("flickr_id,download_id,file_name,MOS,ti,si,colorfulness,contrast,blur,vniqe", attributes[0]);
        var rows = attributes.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Equal(10, r.Length));
        Assert.All(rows, r => Assert.Equal($"{r[0]}_original_centercrop_960x540_8s.mp4", r[2]));
        Assert.Equal(Origin.Clips.Select(c => c.FlickrId.ToString(CultureInfo.InvariantCulture)).Order(), rows.Select(r => r[0]).Order());

        var mos = CorporaSample.ReadText(Origin.MetadataZip, MosCsv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("flickr_id,mos", mos[0]);
        Assert.Equal(rows.Select(r => $"{r[0]},{r[3]}"), mos.Skip(1));
        Assert.All(rows, r => Assert.InRange(double.Parse(r[3], CultureInfo.InvariantCulture), 1.0, 5.0));
    }

    [Fact]
    public void Labels_spread_over_the_acr_scale()
    {
        var mos = Origin.Clips.Select(c => c.Mos).ToList();
        Assert.True(mos.Min() < 2, $"lowest MOS {mos.Min()}");
        Assert.True(mos.Max() > 4, $"highest MOS {mos.Max()}");
    }

    [Fact]
    public async Task A_label_is_ffmpeg_ssim_against_an_independently_rendered_scene()
    {
        // A distorted clip (not the pristine one), compared by a separate ffmpeg run against the scene rendered
        // straight from lavfi, not against the generator's lossless intermediate.
        var clip = Origin.Clips.First(c => c.Variant != "pristine" && c.Scene == "mandelbrot");
        using var temp = new TempDir();
        await CorporaSample.ExtractAsync(Origin.VideosZip, $"KoNViD_1k_videos/{clip.FileName}", temp["clip.mp4"]);
        var rate = clip.FrameRate.Split('/').Select(int.Parse).ToArray();
        var geometry = new SampleGeometry(clip.Width, clip.Height, rate[0], rate.Length > 1 ? rate[1] : 1, clip.Seconds);
        var graph = SampleScenes.All.Single(s => s.Name == clip.Scene).Graph(geometry);

        var run = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-i", temp["clip.mp4"], "-f", "lavfi", "-t", geometry.Duration, "-i", graph,
                "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"])
            .ExecuteBufferedAsync();
        var m = Regex.Match(run.StandardError, @"All:([0-9.]+) \(([0-9.]+)\)");
        Assert.True(m.Success, run.StandardError);
        var ssim = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var db = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);

        Assert.Equal(ssim, clip.Ssim, 6);
        Assert.Equal(db, SampleMosMapping.ToDb(clip.Ssim), 1e-3);
        var expectedMos = 1 + 4 / (1 + Math.Exp(-(db - Origin.Mapping.CenterDb) / Origin.Mapping.ScaleDb));
        var row = CorporaSample.ReadText(Origin.MetadataZip, Attributes).Split('\n').Single(l => l.StartsWith($"{clip.FlickrId},", StringComparison.Ordinal));
        // Within the CSV's four decimals plus ffmpeg's six-decimal printout.
        Assert.Equal(expectedMos, double.Parse(row.Split(',')[3], CultureInfo.InvariantCulture), 5e-4);
    }

    [Fact]
    public async Task Generating_again_gives_identical_zip_bytes()
    {
        using var temp = new TempDir();
        var again = await SampleCorpus.EnsureAsync(temp["origin"], SampleOptions.Tiny with { Jobs = 1 }, NullProgress.Instance, CancellationToken.None);

        Assert.True(again.Generated);
        Assert.Equal(await File.ReadAllBytesAsync(Origin.VideosZip), await File.ReadAllBytesAsync(again.VideosZip));
        Assert.Equal(await File.ReadAllBytesAsync(Origin.MetadataZip), await File.ReadAllBytesAsync(again.MetadataZip));
    }

    [Fact]
    public async Task A_complete_origin_is_reused_untouched()
    {
        var before = File.GetLastWriteTimeUtc(Origin.VideosZip);
        var again = await SampleCorpus.EnsureAsync(fixture.Dir, SampleOptions.Tiny, NullProgress.Instance, CancellationToken.None);

        Assert.False(again.Generated);
        Assert.Equal(before, File.GetLastWriteTimeUtc(again.VideosZip));
        Assert.Equal(Origin.Clips, again.Clips);
    }

    [Fact]
    public void The_mirror_url_resolves_the_sample_catalog_urls_to_the_origin_zips()
    {
        var mirror = new Uri(Origin.MirrorUrl);
        Assert.Equal("file", mirror.Scheme);
        Assert.Equal(Origin.VideosZip, new Uri(mirror, "KoNViD_1k_videos.zip").LocalPath);
        Assert.Equal(Origin.MetadataZip, new Uri(mirror, "KoNViD_1k_metadata.zip").LocalPath);
    }

    [Fact]
    public async Task A_run_killed_midway_leaves_no_origin_and_the_next_run_completes_it()
    {
        using var temp = new TempDir();
        var dir = temp["origin"];
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SampleCorpus.EnsureAsync(dir, SampleOptions.Tiny, new CorporaSample.CancelAfter("Sample clips", 3, cts), cts.Token));
        Assert.False(Directory.Exists(dir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));

        var origin = await SampleCorpus.EnsureAsync(dir, SampleOptions.Tiny, NullProgress.Instance, CancellationToken.None);
        Assert.True(origin.Generated);
        Assert.Equal(await File.ReadAllBytesAsync(Origin.VideosZip), await File.ReadAllBytesAsync(origin.VideosZip));
    }

    [Fact]
    public async Task A_damaged_origin_and_leftovers_of_a_killed_process_are_replaced()
    {
        using var temp = new TempDir();
        var dir = temp["origin"];
        // What a hard kill leaves: a temp folder of a process that no longer runs, and here also an origin
        // whose videos zip lost its tail (copied by hand, disk full...).
        var leftover = Directory.CreateDirectory(temp[$".origin.{int.MaxValue - 1}.{Guid.NewGuid():N}.tmp"]).FullName;
        await File.WriteAllTextAsync(Path.Combine(leftover, "KoNViD_1k_videos.zip"), "half");
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.EnumerateFiles(fixture.Dir)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        var videos = Path.Combine(dir, "KoNViD_1k_videos.zip");
        await using (var stream = new FileStream(videos, FileMode.Open)) stream.SetLength(stream.Length / 2);

        var origin = await SampleCorpus.EnsureAsync(dir, SampleOptions.Tiny, NullProgress.Instance, CancellationToken.None);

        Assert.True(origin.Generated);
        Assert.False(Directory.Exists(leftover));
        Assert.Equal(["origin"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
        Assert.Equal(await File.ReadAllBytesAsync(Origin.VideosZip), await File.ReadAllBytesAsync(videos));
    }

    [Fact]
    public async Task An_origin_made_with_other_options_is_rebuilt()
    {
        using var temp = new TempDir();
        var dir = temp["origin"];
        var small = new SampleOptions(1, 2, 64, 36, 0.4, 2);
        await SampleCorpus.EnsureAsync(dir, small, NullProgress.Instance, CancellationToken.None);

        var bigger = await SampleCorpus.EnsureAsync(dir, small with { Scenes = 2 }, NullProgress.Instance, CancellationToken.None);

        Assert.True(bigger.Generated);
        Assert.Equal(4, bigger.Clips.Count);
        Assert.Equal(5, CorporaSample.EntryNames(bigger.VideosZip).Count);
    }
}

public class SampleCorpusGradingTests
{
    [Fact]
    public async Task Stronger_distortion_of_one_scene_gives_a_lower_mos()
    {
        using var temp = new TempDir();
        var origin = await SampleCorpus.EnsureAsync(temp["origin"], new SampleOptions(1, SampleVariants.All.Count, 128, 72, 0.5, 2),
            NullProgress.Instance, CancellationToken.None);
        double Mos(string variant) => origin.Clips.Single(c => c.Variant == variant).Mos;

        string[][] grades =
        [
            ["pristine", "crf26", "crf32", "crf37", "crf42", "crf47"],
            ["pristine", "blur0.7", "blur1.3", "blur2.2", "blur3.5"],
            ["pristine", "noise3", "noise5", "noise8", "noise12"],
            ["pristine", "downup2", "downup3", "downup4", "downup6-nearest"],
        ];
        foreach (var grade in grades)
            foreach (var (better, worse) in grade.Zip(grade.Skip(1)))
                Assert.True(Mos(better) > Mos(worse), $"{better} ({Mos(better)}) should score above {worse} ({Mos(worse)})");
        Assert.Equal(origin.Clips.Max(c => c.Mos), Mos("pristine"));
    }

    [Fact]
    public void Every_scene_and_variant_pair_gets_its_own_ten_digit_flickr_id()
    {
        var ids = SampleScenes.All.SelectMany(s => SampleVariants.All.Select(v => SampleCorpus.FlickrId(s.Name, v.Name))).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 1_000_000_000L, 9_999_999_999L));
    }

    [Fact]
    public void A_small_variant_count_still_covers_every_distortion_family()
    {
        var picked = SampleVariants.Pick(6);
        Assert.Equal("pristine", picked[0].Name);
        Assert.Equal(SampleVariants.All.Select(v => v.Family).Distinct().Order(), picked.Select(v => v.Family).Distinct().Order());
    }

    [Theory]
    [InlineData(0, 4, 160, 90, "Scenes")]
    [InlineData(3, 1, 160, 90, "VariantsPerScene")]
    [InlineData(3, 4, 161, 90, "Width")]
    public async Task Impossible_options_are_refused_naming_the_option(int scenes, int variants, int width, int height, string name)
    {
        using var temp = new TempDir();
        var e = await Assert.ThrowsAsync<KonvidException>(() =>
            SampleCorpus.EnsureAsync(temp["origin"], new SampleOptions(scenes, variants, width, height, 1, 1), NullProgress.Instance, CancellationToken.None));
        Assert.Contains(name, e.Problem);
        Assert.False(Directory.Exists(temp["origin"]));
    }
}
