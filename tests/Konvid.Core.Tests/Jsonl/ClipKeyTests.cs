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
}
