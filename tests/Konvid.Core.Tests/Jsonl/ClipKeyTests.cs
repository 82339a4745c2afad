using Konvid.Core.Jsonl;

namespace Konvid.Core.Tests.Jsonl;

public class ClipKeyTests
{
    [Theory]
    [InlineData("8536919744_original_centercrop_960x540_8s.mp4", "8536919744")]
    [InlineData("8536919744_cut_centercrop_960x540_8s.mp4", "8536919744")]
    [InlineData("8536919744.mp4", "8536919744")]
    [InlineData("KoNViD_1k_videos/8536919744.MP4", "8536919744")]
    [InlineData("8536919744", "8536919744")]
    [InlineData("orig_10000347_540_5s.mp4", "orig_10000347_540_5s")]
    [InlineData("orig_10000347_540_5s", "orig_10000347_540_5s")]
    [InlineData(" k150ka/orig_10000347_540_5s.mp4 ", "orig_10000347_540_5s")]
    public void Every_historical_clip_name_reduces_to_the_key_its_label_uses(string name, string key) =>
        Assert.Equal(key, ClipKey.Of(name));

    [Theory]
    [InlineData("3339962845.webm")]
    [InlineData("3339962845.mkv")]
    [InlineData("3339962845.ts")]
    [InlineData("3339962845.MOV")]
    [InlineData("3339962845.avi")]
    [InlineData("3339962845.m4v")]
    [InlineData("3339962845.y4m")]
    [InlineData("3339962845_cut_centercrop_960x540_8s.webm")]
    [InlineData("\"3339962845.mp4\"")]
    [InlineData(" ' 3339962845.mp4 ' ")]
    [InlineData("\"3339962845\"")]
    [InlineData("KoNViD_1k_videos\\3339962845.mp4")]
    [InlineData("/data/KoNViD_1k_videos/3339962845.mkv")]
    public void A_clip_in_any_container_or_quoted_or_with_a_folder_keeps_its_id(string name) =>
        Assert.Equal("3339962845", ClipKey.Of(name));

    [Theory]
    [InlineData("scores.csv:13")]          // attrition ids of rows that name no clip stay whole
    [InlineData("k150ka.zip")]             // a lost archive is no clip
    [InlineData("clip.v2")]                // a dot that is no container extension
    [InlineData("a b 'single' \"double\"")]
    public void An_id_whose_last_dot_is_no_container_extension_stays_whole(string id) =>
        Assert.Equal(id, ClipKey.Of(id));
}
