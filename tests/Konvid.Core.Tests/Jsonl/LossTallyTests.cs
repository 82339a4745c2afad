using Konvid.Core.Jsonl;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Jsonl;

public class LossTallyTests
{
    [Theory]
    [InlineData("scores.csv:7: MOS 7.5 is outside 1-5", "MOS # is outside #-#")]
    [InlineData("KoNViD_1k_attributes.csv:1201: no clip for this label", "no clip for this label")]
    [InlineData("no label for this clip (key 3339962845) in KoNViD_1k_attributes.csv", "no label for this clip in KoNViD_1k_attributes.csv")]
    [InlineData("HTTP 404 from https://mirror.example/k150k/orig_1_540_5s.mp4 (permanent)", "HTTP # from <url>")]
    [InlineData("scores.csv:3: MOS 'abc' is not a number", "MOS '...' is not a number")]
    [InlineData("ffprobe: moov atom not found", "ffprobe: moov atom not found")]
    public void A_reason_loses_what_differs_from_clip_to_clip_so_one_cause_groups(string reason, string kind) =>
        Assert.Equal(kind, LossTally.Kind(reason));

    [Fact]
    public void A_clip_and_its_label_lost_together_count_once_and_a_key_that_became_a_row_is_no_loss()
    {
        AttritionEntry[] entries =
        [
            new("a.webm", Stage.Probe, "ffprobe: Invalid data found when processing input"),
            new("a", Stage.Jsonl, "scores.csv:2: no clip for this label"),
            new("b.mp4", Stage.Jsonl, "no label for this clip (key b) in scores.csv"),
            new("c", Stage.Jsonl, "scores.csv:9: duplicate id c (first row kept: scores.csv:4)"),
        ];

        var tally = LossTally.Of(3, new HashSet<string> { "c", "d", "e" }, entries);

        Assert.Equal((2, 5), (tally.Lost, tally.Units));
        Assert.Equal(40.0, tally.Percent);
        Assert.Equal("1 Jsonl: no label for this clip in scores.csv; 1 Probe: ffprobe: Invalid data found when processing input", tally.Reasons());
    }
}
