using Konvid.Core.Jsonl;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Jsonl;

public class EncoderVocabTests
{
    [Fact]
    public void V3_keeps_the_reference_slot_order_and_v4_appends_ugc_mixed_at_16()
    {
        // KONVID.md, ENCODER_VOCAB v3 in slot order.
        Assert.Equal(
        [
            "libx264", "libaom-av1", "libx265", "h264_nvenc", "hevc_nvenc", "av1_nvenc", "h264_amf", "hevc_amf", "av1_amf",
            "h264_qsv", "hevc_qsv", "av1_qsv", "libvvenc", "libsvtav1", "h264_videotoolbox", "hevc_videotoolbox",
        ], EncoderVocab.V3.Slots);
        Assert.Equal(17, EncoderVocab.V4.Count);
        Assert.Equal(EncoderVocab.V3.Slots, EncoderVocab.V4.Slots.Take(16));
        Assert.Equal(16, EncoderVocab.V4.SlotOf("ugc-mixed"));
        Assert.Same(EncoderVocab.V4, EncoderVocab.Current);
        Assert.Same(EncoderVocab.V3, EncoderVocab.ForVersion(3));
        Assert.Same(EncoderVocab.V4, EncoderVocab.ForVersion(4));
    }

    [Fact]
    public void One_hot_sets_exactly_the_encoders_slot()
    {
        var v = EncoderVocab.V4.OneHot("libx265");
        Assert.Equal(1f, v[2]);
        Assert.Equal(1f, v.Sum());
        Assert.Throws<KonvidException>(() => EncoderVocab.V3.OneHot("ugc-mixed"));
    }

    [Fact]
    public void A_v3_model_reads_a_ugc_mixed_v4_vector_as_all_zeros_and_other_encoders_unchanged()
    {
        Assert.All(EncoderVocab.V3.Adapt(EncoderVocab.V4.OneHot("ugc-mixed"), EncoderVocab.V4), x => Assert.Equal(0f, x));
        Assert.Equal(EncoderVocab.V3.OneHot("libsvtav1"), EncoderVocab.V3.Adapt(EncoderVocab.V4.OneHot("libsvtav1"), EncoderVocab.V4));
    }

    [Fact]
    public void A_v4_consumer_pads_a_v3_vector_with_a_zero_slot()
    {
        var padded = EncoderVocab.V4.Adapt(EncoderVocab.V3.OneHot("hevc_videotoolbox"), EncoderVocab.V3);
        Assert.Equal(EncoderVocab.V4.OneHot("hevc_videotoolbox"), padded);
        Assert.Equal(0f, padded[16]);
    }

    [Fact]
    public void A_vector_that_does_not_match_its_declared_version_is_refused()
    {
        Assert.Throws<KonvidException>(() => EncoderVocab.V3.Adapt(new float[16], EncoderVocab.V4));
        Assert.Throws<KonvidException>(() => EncoderVocab.ForVersion(5));
    }
}
