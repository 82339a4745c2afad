using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// ENCODER_VOCAB, versioned: the slot order of the one-hot encoder vector that rows and models share. v4 is v3
/// with <c>ugc-mixed</c> appended (index 16) for user-generated content of unknown, mixed encoders: every KonViD
/// row. Versions only ever append, so converting between them is by slot name: a v3 model reading a v4 vector
/// drops the slots it has never seen (a ugc-mixed row reads as all zeros), a v4 consumer pads a v3 vector with 0.
/// </summary>
internal sealed class EncoderVocab
{
    public const string UgcMixed = "ugc-mixed";

    public static readonly EncoderVocab V3 = new(3,
    [
        "libx264", "libaom-av1", "libx265", "h264_nvenc", "hevc_nvenc", "av1_nvenc", "h264_amf", "hevc_amf", "av1_amf",
        "h264_qsv", "hevc_qsv", "av1_qsv", "libvvenc", "libsvtav1", "h264_videotoolbox", "hevc_videotoolbox",
    ]);

    public static readonly EncoderVocab V4 = new(4, [.. V3.Slots, UgcMixed]);

    /// <summary>The version Konvid writes.</summary>
    public static EncoderVocab Current => V4;

    private readonly Dictionary<string, int> _index;

    private EncoderVocab(int version, IReadOnlyList<string> slots)
    {
        Version = version;
        Slots = slots;
        _index = slots.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
    }

    public int Version { get; }

    public IReadOnlyList<string> Slots { get; }

    public int Count => Slots.Count;

    public static EncoderVocab ForVersion(int version) => version switch
    {
        3 => V3,
        4 => V4,
        _ => throw new KonvidException($"encoder_vocab_version {version} is unknown", "Konvid reads versions 3 and 4"),
    };

    public bool TryGetSlot(string encoder, out int slot) => _index.TryGetValue(encoder, out slot);

    public int SlotOf(string encoder) => TryGetSlot(encoder, out var slot)
        ? slot
        : throw new KonvidException($"encoder '{encoder}' has no slot in ENCODER_VOCAB v{Version}", $"use one of: {string.Join(", ", Slots)}");

    public float[] OneHot(string encoder)
    {
        var vector = new float[Count];
        vector[SlotOf(encoder)] = 1f;
        return vector;
    }

    /// <summary>Re-expresses a vector written under <paramref name="from"/> in this version's slots (see the class summary).</summary>
    public float[] Adapt(ReadOnlySpan<float> vector, EncoderVocab from)
    {
        if (vector.Length != from.Count)
            throw new KonvidException($"encoder vector has {vector.Length} slots, ENCODER_VOCAB v{from.Version} has {from.Count}",
                "the row's encoder_vocab_version does not match its vector");
        var result = new float[Count];
        for (var i = 0; i < from.Count; i++)
            if (_index.TryGetValue(from.Slots[i], out var slot)) result[slot] = vector[i];
        return result;
    }
}
