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
        await foreach (var row in ScoreReader.ReadAsync(path, layout)) rows.Add(row);
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
    public async Task A_file_that_is_no_score_file_is_refused_naming_it()
    {
        using var dir = new TempDir();
        var e = await Assert.ThrowsAsync<KonvidException>(() => ReadAsync(dir, "clip,quality,bytes\n1,good,3\n"));
        Assert.Contains("scores.csv", e.Problem);
        Assert.Contains("is not a header this reader knows", e.Problem);

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
}
