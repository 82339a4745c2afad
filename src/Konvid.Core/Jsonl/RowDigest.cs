using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using Konvid.Core.Features;
using Konvid.Core.Features.Deep;
using Konvid.Core.Probe;
using Konvid.Core.Verify;

namespace Konvid.Core.Jsonl;

/// <summary>
/// The first 128 bits of the SHA-256 of everything a corpus row is rendered from except its ingested_at_utc: the code
/// versions of the row and its features, the run's corpus name and version, the clip, its probe result, its label's
/// numbers and its feature entry's size and mtime (<see cref="EntryStamp"/>), as one JSON array. Two rows with equal
/// digests render to the same bytes, apart from the timestamp.
/// </summary>
internal static class RowDigest
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;

    public static UInt128 Of(RunStamp run, bool deep, ManifestEntry clip, ProbeResult probe, Label label, EntryStamp entry)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteStringValue(CorpusWriter.RowSchemaVersion);
            w.WriteStringValue(EncoderVocab.Current.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteStringValue(ClipFeatures.CurrentSet);
            w.WriteNumberValue(ClipFeatures.Revision);
            w.WriteStringValue(deep ? DeepFeaturizer.WeightsTag : "classic");
            w.WriteStringValue(run.Corpus);
            w.WriteStringValue(run.CorpusVersion);
            w.WriteStringValue(clip.ClipId);
            w.WriteStringValue(clip.Sha256);
            JsonSerializer.Serialize(w, probe, ProbeJson.Default.ProbeResult);
            w.WriteNumberValue(label.Mos);
            if (label.MosStdDev is { } sd) w.WriteNumberValue(sd);
            else w.WriteNullValue();
            if (label.NRatings is { } n) w.WriteNumberValue(n);
            else w.WriteNullValue();
            w.WriteNumberValue(entry.Size);
            w.WriteNumberValue(entry.MtimeTicks);
            w.WriteEndArray();
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return BinaryPrimitives.ReadUInt128BigEndian(hash);
    }
}
