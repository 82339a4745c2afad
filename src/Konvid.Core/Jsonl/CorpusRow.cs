using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Konvid.Core.Probe;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// One corpus row: the reference's 15 keys with their types and meanings, plus encoder_vocab_version,
/// encoder_slot, feature_set, features and how the clip is displayed (rotation, display_width, display_height; width and
/// height stay the stored geometry, as in the reference). Written key by key in ordinal order (Python's sort_keys), compact.
/// </summary>
internal sealed record CorpusRow(
    string Src,
    string SrcSha256,
    ProbeResult Probe,
    Label Label,
    IReadOnlyList<KeyValuePair<string, double>> Features,
    string FeatureSet,
    RunStamp Run)
{
    /// <summary>The run's timestamp: the one key a copied row changes (its other bytes depend only on what <see cref="RowDigest"/> covers).</summary>
    public const string IngestedAtKey = "ingested_at_utc";

    /// <summary>The reference row's keys: a reader of its format needs exactly these.</summary>
    public static readonly string[] ReferenceKeys =
    [
        "corpus", "corpus_version", "duration_s", "encoder_upstream", "framerate", "height", IngestedAtKey, "mos",
        "mos_std_dev", "n_ratings", "pix_fmt", "src", "src_sha256", "src_size_bytes", "width",
    ];

    /// <summary>What Konvid adds to every row.</summary>
    public static readonly string[] KonvidKeys =
        ["display_height", "display_width", "encoder_slot", "encoder_vocab_version", "feature_set", "features", "rotation"];

    /// <summary>Feature names, encoded once: the same thousand names repeat on every row.</summary>
    private static readonly ConcurrentDictionary<string, JsonEncodedText> EncodedNames = new(StringComparer.Ordinal);

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("corpus", Run.Corpus);
        w.WriteString("corpus_version", Run.CorpusVersion);
        w.WriteNumber("display_height", Probe.DisplayHeight);
        w.WriteNumber("display_width", Probe.DisplayWidth);
        w.WritePropertyName("duration_s");
        JsonFloat.Write(w, Probe.DurationS);
        w.WriteString("encoder_slot", EncoderVocab.UgcMixed);
        w.WriteString("encoder_upstream", Probe.CodecName);
        w.WriteNumber("encoder_vocab_version", EncoderVocab.Current.Version);
        w.WriteString("feature_set", FeatureSet);
        w.WriteStartObject("features");
        foreach (var (name, value) in Features)
        {
            w.WritePropertyName(EncodedNames.GetOrAdd(name, static n => JsonEncodedText.Encode(n, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)));
            JsonFloat.Write(w, value);
        }
        w.WriteEndObject();
        w.WritePropertyName("framerate");
        JsonFloat.Write(w, Probe.Framerate);
        w.WriteNumber("height", Probe.Height);
        w.WriteString(IngestedAtKey, Run.IngestedAtUtc);
        w.WritePropertyName("mos");
        JsonFloat.Write(w, Label.Mos);
        w.WritePropertyName("mos_std_dev");
        JsonFloat.Write(w, Label.MosStdDev ?? 0.0);
        w.WriteNumber("n_ratings", Label.NRatings ?? 0);
        w.WriteString("pix_fmt", Probe.PixFmt);
        w.WriteNumber("rotation", Probe.Rotation);
        w.WriteString("src", Src);
        w.WriteString("src_sha256", SrcSha256);
        w.WriteNumber("src_size_bytes", Probe.SrcSizeBytes);
        w.WriteNumber("width", Probe.Width);
        w.WriteEndObject();
    }
}

/// <summary>What every row of one run shares: corpus name, version, and the run's single ISO 8601 timestamp.</summary>
internal sealed record RunStamp(string Corpus, string CorpusVersion, string IngestedAtUtc)
{
    public static RunStamp For(string corpus, string version, DateTimeOffset ingestedAt) =>
        new(corpus, version, ingestedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
