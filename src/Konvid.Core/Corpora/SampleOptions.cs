using System.Globalization;
using Konvid.Core.Workspace;

namespace Konvid.Core.Corpora;

/// <summary>
/// How big a sample corpus to make: the first <paramref name="Scenes"/> of <see cref="SampleScenes.All"/>, each at
/// <paramref name="VariantsPerScene"/> distortions spread over <see cref="SampleVariants.All"/>. Scene sizes vary
/// around <paramref name="Width"/>x<paramref name="Height"/> and lengths from 1x to 1.5x <paramref name="Seconds"/>.
/// <paramref name="Jobs"/> ffmpeg processes run at once; it does not change a byte of the result.
/// </summary>
public sealed record SampleOptions(int Scenes, int VariantsPerScene, int Width, int Height, double Seconds, int Jobs)
{
    /// <summary>The corpus behind <c>--corpus sample</c>: 12 scenes x 20 variants = 240 clips around 480x270, 2-3 s.</summary>
    public static SampleOptions Demo => new(12, 20, 480, 270, 2, DefaultJobs);

    /// <summary>3 scenes x 4 variants = 12 clips around 160x90, 1-1.5 s: a few seconds, for tests.</summary>
    public static SampleOptions Tiny => new(3, 4, 160, 90, 1, DefaultJobs);

    /// <summary>6 scenes x 10 variants = 60 clips around 160x90, 1-1.5 s: enough rows to train and gate in an end-to-end test.</summary>
    public static SampleOptions Small => new(6, 10, 160, 90, 1, DefaultJobs);

    /// <summary>The size named by <c>--sample-size</c>.</summary>
    public static SampleOptions Named(string size) => size switch
    {
        "demo" => Demo,
        "small" => Small,
        "tiny" => Tiny,
        _ => throw new KonvidException($"--sample-size '{size}' is not demo, small or tiny", "use --sample-size demo (the default), small or tiny"),
    };

    public static int DefaultJobs => Math.Max(1, Environment.ProcessorCount);

    public int Clips => Scenes * VariantsPerScene;

    /// <summary>Everything that decides the bytes of the origin (not <see cref="Jobs"/>): a complete origin with another fingerprint is rebuilt.</summary>
    public string Fingerprint => string.Create(CultureInfo.InvariantCulture,
        $"scenes={Scenes};variants={VariantsPerScene};size={Width}x{Height};seconds={Seconds:R}");

    public void Validate()
    {
        Check(Scenes is >= 1 && Scenes <= SampleScenes.All.Count, nameof(Scenes), $"{Scenes} is outside 1..{SampleScenes.All.Count}");
        Check(VariantsPerScene >= 2 && VariantsPerScene <= SampleVariants.All.Count, nameof(VariantsPerScene),
            $"{VariantsPerScene} is outside 2..{SampleVariants.All.Count} (two at least, so labels have a spread)");
        Check(Width is >= 64 and <= 1920 && Width % 2 == 0, nameof(Width), $"{Width} must be even and within 64..1920");
        Check(Height is >= 36 and <= 1080 && Height % 2 == 0, nameof(Height), $"{Height} must be even and within 36..1080");
        Check(Seconds is >= 0.2 and <= 20, nameof(Seconds), $"{Seconds} is outside 0.2..20");
        Check(Jobs >= 1, nameof(Jobs), $"{Jobs} must be at least 1");
    }

    private static void Check(bool ok, string name, string why)
    {
        if (!ok) throw new KonvidException($"sample corpus: {name} {why}", "use SampleOptions.Demo or SampleOptions.Tiny as a starting point");
    }
}
