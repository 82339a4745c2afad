using System.Globalization;

namespace Konvid.Core.Corpora;

/// <summary>
/// The distortions, grouped by family and graded within each: compression, blur, noise, down-up scaling, and
/// mixtures of two or three. <see cref="Pick"/> chooses a smaller set that still has every family and grades from
/// mild to severe.
/// </summary>
internal static class SampleVariants
{
    /// <summary>The final encode of every non-compression variant (libx264, preset <see cref="Preset"/>).</summary>
    public const int BaseCrf = 20;

    public const string Preset = "veryfast";

    // Temporal (sensor-like) noise with a fixed seed: the same grain on every run. SSIM punishes noise on flat
    // content hard, so the grades stay low to keep noise from owning the bottom of the scale.
    private static string Noise(int strength) => $"noise=alls={strength}:allf=t:all_seed=4242";

    private static string Blur(double sigma) => string.Create(CultureInfo.InvariantCulture, $"gblur=sigma={sigma}");

    // Down with area averaging (what a camera pipeline or a re-upload does), back up bilinearly: detail is gone,
    // the size is not.
    private static Func<SampleGeometry, string> DownUp(int factor, string up = "bilinear") => g =>
        $"scale={Math.Max(2, g.Width / factor / 2 * 2)}:{Math.Max(2, g.Height / factor / 2 * 2)}:flags=area,scale={g.Width}:{g.Height}:flags={up}";

    public static readonly IReadOnlyList<SampleVariant> All =
    [
        new("pristine", "reference", null, BaseCrf),
        new("crf26", "compression", null, 26),
        new("crf32", "compression", null, 32),
        new("crf37", "compression", null, 37),
        new("crf42", "compression", null, 42),
        new("crf47", "compression", null, 47),
        new("blur0.7", "blur", _ => Blur(0.7), BaseCrf),
        new("blur1.3", "blur", _ => Blur(1.3), BaseCrf),
        new("blur2.2", "blur", _ => Blur(2.2), BaseCrf),
        new("blur3.5", "blur", _ => Blur(3.5), BaseCrf),
        new("noise3", "noise", _ => Noise(3), BaseCrf),
        new("noise5", "noise", _ => Noise(5), BaseCrf),
        new("noise8", "noise", _ => Noise(8), BaseCrf),
        new("noise12", "noise", _ => Noise(12), BaseCrf),
        new("downup2", "scaling", DownUp(2), BaseCrf),
        new("downup3", "scaling", DownUp(3), BaseCrf),
        new("downup4", "scaling", DownUp(4), BaseCrf),
        new("downup6-nearest", "scaling", DownUp(6, "neighbor"), BaseCrf),
        new("blur1.0+crf36", "mixture", _ => Blur(1.0), 36),
        new("noise6+crf38", "mixture", _ => Noise(6), 38),
        new("downup2+noise5", "mixture", g => DownUp(2)(g) + "," + Noise(5), BaseCrf),
        new("downup3+crf34", "mixture", DownUp(3), 34),
        new("blur1.8+noise8", "mixture", _ => Blur(1.8) + "," + Noise(8), BaseCrf),
        new("downup2+blur1.0+crf40", "mixture", g => DownUp(2)(g) + "," + Blur(1.0), 40),
    ];

    /// <summary>
    /// <paramref name="count"/> variants: pristine, then the other slots shared among the families in proportion to
    /// their size (D'Hondt), so every family is in once there are enough slots, and within a family the grades are
    /// spread from mild to severe. Returned in <see cref="All"/>'s order.
    /// </summary>
    public static IReadOnlyList<SampleVariant> Pick(int count)
    {
        if (count >= All.Count) return All;
        var families = All.Skip(1).GroupBy(v => v.Family).Select(g => g.ToList()).ToList();
        var slots = new int[families.Count];
        for (var left = count - 1; left > 0; left--)
        {
            var best = Enumerable.Range(0, families.Count).Where(f => slots[f] < families[f].Count)
                .MaxBy(f => families[f].Count / (slots[f] + 1.0));
            slots[best]++;
        }
        var picked = families.SelectMany((grades, f) => Enumerable.Range(0, slots[f])
            .Select(j => grades[(int)Math.Round((j + 0.5) * grades.Count / slots[f] - 0.5, MidpointRounding.AwayFromZero)]))
            .ToHashSet();
        return [All[0], .. All.Skip(1).Where(picked.Contains)];
    }
}
