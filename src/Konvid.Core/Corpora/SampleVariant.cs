namespace Konvid.Core.Corpora;

/// <summary>
/// One graded distortion of a scene: an optional ffmpeg filter chain, then the final H.264 encode at
/// <paramref name="Crf"/>. Every variant that is not about compression uses <see cref="SampleVariants.BaseCrf"/>, so
/// file size does not give the label away.
/// </summary>
internal sealed record SampleVariant(string Name, string Family, Func<SampleGeometry, string>? Filter, int Crf);
