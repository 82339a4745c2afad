using Konvid.Core.Jsonl;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;
using Snapshooter;
using Snapshooter.Xunit;

namespace Konvid.Core.Tests.Jsonl;

public class ScoreReaderTests
{
    private static async Task<List<ScoreRow>> ReadAsync(TempDir dir, string text, bool bom = false, ScoreLayout? layout = null)
    {
        var path = dir["scores.csv"];
        await File.WriteAllBytesAsync(path, [.. bom ? System.Text.Encoding.UTF8.GetPreamble() : [], .. System.Text.Encoding.UTF8.GetBytes(text)]);
        var rows = new List<ScoreRow>();
        await foreach (var row in ScoreReader.ReadAsync(path, layout, "corpora/demo.yaml scores[0]")) rows.Add(row);
        return rows;
    }

    [Theory]
    [MemberData(nameof(CorpusScoreFiles.Names), MemberType = typeof(CorpusScoreFiles))]
    public async Task Reads_every_published_layout_into_the_same_labels(string layoutName)
    {
        using var dir = new TempDir();
        var file = CorpusScoreFiles.Named(layoutName);

        var rows = await ReadAsync(dir, file.Text, file.Bom);

        Assert.All(rows, r => Assert.True(r.Ok, r.Problem));
        Assert.Equal(file.Clips.Select(ClipKey.Of).Order(StringComparer.Ordinal), rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        Snapshot.Match(rows, new SnapshotNameExtension(layoutName));
    }

    [Theory]
    [InlineData("flickr_id,download_id,file_name,MOS,ti,si,colorfulness,contrast,blur,vniqe", ScoreLayout.Konvid1kAttributes)]
    [InlineData("flickr_id,mos", ScoreLayout.Konvid1kMos)]
    [InlineData("file_name,MOS,SD,n,flickr_id", ScoreLayout.Redistribution)]
    [InlineData("VIDEO_NAME,mos,MOS_STD,num_ratings", ScoreLayout.Redistribution)]
    [InlineData("video_name,video_score", ScoreLayout.K150kA)]
    [InlineData("orig_10000347_540_5s,3.2608", ScoreLayout.K150kA)]
    [InlineData("video_name,mos,video_score", ScoreLayout.K150kB)]
    [InlineData("file_name,url,MOS,SD,n,flickr_id", ScoreLayout.UrlManifest)]
    [InlineData("file_name,video_url,mos", ScoreLayout.UrlManifest)]
    [InlineData("8536919744,1.22,29.97", ScoreLayout.FlickrMosFramerate)]
    [InlineData("8536919744.mp4,1.22,24", ScoreLayout.FlickrMosFramerate)]
    [InlineData("KoNViD_1k_videos/8536919744.mp4, 8.0, 29.97, 1.22", ScoreLayout.PathDurationFpsMos)]
    [InlineData("path,duration,fps,mos", ScoreLayout.Redistribution)]
    public void Sniffs_the_layout_from_the_first_row(string first, ScoreLayout expected) =>
        Assert.Equal(expected, ScoreLayouts.Detect(first.Split(','), out _));

    [Fact]
    public async Task Bad_rows_come_out_with_their_reason_and_line_instead_of_vanishing()
    {
        using var dir = new TempDir();
        var rows = await ReadAsync(dir,
            "video_name,mos,mos_std,num_ratings\n" +
            "a.mp4,abc,,\n" +
            "b.mp4,NaN,,\n" +
            "c.mp4,0.99,,\n" +
            "d.mp4,5.01,,\n" +
            "e.mp4,,,\n" +
            "f.mp4,3,-1,\n" +
            "g.mp4,3,0.5,12.5\n" +
            ",3,0.5,12\n" +
            "h.mp4,3\n" +
            "i.mp4,1,0.25,7.0\n" +
            "j.mp4,5,,\n");

        Assert.Equal(
        [
            "scores.csv:2: MOS 'abc' is not a number",
            "scores.csv:3: MOS 'NaN' is not a finite number",
            "scores.csv:4: MOS 0.99 is outside 1-5",
            "scores.csv:5: MOS 5.01 is outside 1-5",
            "scores.csv:6: MOS '' is not a number",
            "scores.csv:7: SD '-1' is not a non-negative number",
            "scores.csv:8: rating count '12.5' is not a non-negative integer",
            "scores.csv:9: row names no clip (empty flickr_id/file name)",
            "scores.csv:10: 2 fields where the header has 4",
            null, null,
        ], rows.Select(r => r.Problem));
        Assert.Equal((1.0, 0.25, 7), (rows[9].Mos, rows[9].MosStdDev!.Value, rows[9].NRatings!.Value));
        Assert.Equal(5.0, rows[10].Mos); // the scale's ends are valid
    }

    [Fact]
    public async Task The_a_file_without_header_keeps_its_first_row_and_an_explicit_layout_agrees()
    {
        using var dir = new TempDir();
        const string text = "orig_1_540_5s,3.5\norig_2_540_5s.mp4,2\n";

        var sniffed = await ReadAsync(dir, text);
        var declared = await ReadAsync(dir, text, layout: ScoreLayout.K150kA);

        Assert.Equal(["orig_1_540_5s", "orig_2_540_5s"], sniffed.Select(r => r.Key));
        Assert.Equal(sniffed, declared);
    }

    [Fact]
    public async Task A_file_that_is_no_score_file_is_refused_naming_it_and_every_layout_that_exists()
    {
        using var dir = new TempDir();
        var e = await Assert.ThrowsAsync<KonvidException>(() => ReadAsync(dir, "clip,quality,bytes\n1,good,3\n"));
        Assert.Contains("scores.csv", e.Problem);
        Assert.Contains("is neither a header this reader knows nor a row of a header-less layout", e.Problem);
        Assert.Contains("'layout:' in corpora/demo.yaml scores[0]", e.Hint);
        foreach (var name in new[] { "konvid-1k-attributes", "konvid-1k-mos", "redistribution", "k150k-a", "k150k-b", "url-manifest", "flickr-mos-framerate", "path-duration-fps-mos" })
            Assert.Contains(name + " (", e.Hint);

        var noMos = await Assert.ThrowsAsync<KonvidException>(() => ReadAsync(dir, "flickr_id,download_id,file_name\n1,2,3\n"));
        Assert.Contains("has no MOS column", noMos.Problem);
    }

    [Fact]
    public async Task A_mirror_whose_flickr_ids_differ_from_its_file_names_joins_on_either()
    {
        using var dir = new TempDir();
        var rows = await ReadAsync(dir, "file_name,url,MOS,SD,n,flickr_id\norig_9_540_5s.mp4,http://x/9,2.5,0.5,5,123456\n");

        Assert.Equal(("orig_9_540_5s", "123456", "orig_9_540_5s.mp4"), (rows[0].Key, rows[0].AltKey, rows[0].Id));
    }

    [Fact]
    public async Task The_two_header_less_shapes_of_public_training_code_read_as_declared_layouts()
    {
        using var dir = new TempDir();
        const string framerate = "8536919744,1.22,29.97\n3339962845.mp4,4.64,24\n5049868366,3.1\n";
        const string list = "videos/8536919744.mp4, 8.0, 29.97, 1.22\nvideos\\3339962845.mp4, 8.01, 24.0, 4.64\nvideos/5049868366.mp4, 8.0, 23.976\n";

        var byFramerate = await ReadAsync(dir, framerate, layout: ScoreLayout.FlickrMosFramerate);
        var byList = await ReadAsync(dir, list, layout: ScoreLayout.PathDurationFpsMos);

        Assert.Equal(["8536919744", "3339962845", "5049868366"], byFramerate.Select(r => r.Key));
        Assert.Equal([1.22, 4.64], byFramerate.Take(2).Select(r => r.Mos));
        Assert.Equal("scores.csv:3: 2 fields where layout flickr-mos-framerate has 3", byFramerate[2].Problem);
        Assert.Equal(["8536919744", "3339962845", "5049868366"], byList.Select(r => r.Key));
        Assert.Equal([1.22, 4.64], byList.Take(2).Select(r => r.Mos));
        Assert.Equal("scores.csv:3: 3 fields where layout path-duration-fps-mos has 4", byList[2].Problem);
        // Sniffed from the first row when the catalog says "auto": the same rows.
        Assert.Equal(byFramerate, await ReadAsync(dir, framerate));
        Assert.Equal(byList, await ReadAsync(dir, list));
    }

    [Fact]
    public async Task A_declared_layout_that_needs_a_header_names_the_layouts_that_read_a_header_less_file()
    {
        using var dir = new TempDir();

        var e = await Assert.ThrowsAsync<KonvidException>(() => ReadAsync(dir, "8536919744,1.22,29.97\n", layout: ScoreLayout.Konvid1kAttributes));

        Assert.Contains("first row '8536919744,1.22,29.97' is no header, and layout konvid-1k-attributes (declared in corpora/demo.yaml scores[0]) needs one", e.Problem);
        Assert.Contains("flickr-mos-framerate (flickr_id,mos,framerate without header)", e.Hint);
        Assert.DoesNotContain('\n', e.Problem);
    }

    [Theory]
    [InlineData("orig_1_540_5s,2.75,2.9")]      // name, mos, video_score: set B without its header, not flickr_id,mos,framerate
    [InlineData("x.mp4,3.2,0.5,114")]           // file_name,MOS,SD,n without its header, not path, duration, fps, mos
    public async Task A_header_less_file_that_could_be_read_two_ways_is_not_guessed(string first)
    {
        using var dir = new TempDir();
        var e = await Assert.ThrowsAsync<KonvidException>(() => ReadAsync(dir, first + "\n"));
        Assert.Contains("'layout:' in corpora/demo.yaml scores[0]", e.Hint);
    }

    [Fact]
    public async Task A_published_copy_with_mp4_ids_quotes_crlf_and_no_final_newline_keeps_every_label()
    {
        using var dir = new TempDir();
        var file = CorpusScoreFiles.Konvid1kMosCopy;

        var rows = await ReadAsync(dir, file.Text);

        Assert.All(rows, r => Assert.True(r.Ok, r.Problem));
        Assert.Equal(["3339962845", "8536919744", "5049868366"], rows.Select(r => r.Key));
        Assert.Equal(["3339962845.mp4", "8536919744.mp4", "5049868366.mp4"], rows.Select(r => r.Id));
        Assert.Equal([4.64, 1.22, 3.1], rows.Select(r => r.Mos));
        Assert.All(rows, r => Assert.Null(r.AltKey));
    }

    [Fact]
    public async Task The_precision_of_each_MOS_is_kept_as_written()
    {
        using var dir = new TempDir();
        var rows = await ReadAsync(dir, "flickr_id,mos\n1,3.1234567891\n2,3\n3,3.5000\n4,3.25e0\n");
        Assert.Equal([10, 0, 4, int.MaxValue], rows.Select(r => r.MosDecimals));
        Assert.Equal(3.1234567891, rows[0].Mos);
    }
}
