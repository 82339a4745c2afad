namespace Konvid.Bench;

/// <summary>
/// The cost of one stage on KonViD-150k (152,265 clips of 5 s 540p at ~25 fps), extrapolated from CPU seconds measured
/// per frame in this run: <paramref name="CoreSecondsPerClip"/> for one 960x540 clip, <paramref name="Basis"/> how.
/// </summary>
public sealed record ScaleEstimate(string What, double CoreSecondsPerClip, string Basis)
{
    public const int Clips = 152_265;
    public const int Width = 960, Height = 540;
    public const double Seconds = 5, FramesPerSecond = 25;
    public const double FramesPerClip = Seconds * FramesPerSecond;
    public const double PixelsPerFrame = Width * Height;

    public double CoreHours => CoreSecondsPerClip * Clips / 3600;

    /// <summary>Wall hours on <paramref name="cores"/> cores with perfect scaling (no I/O stalls).</summary>
    public double WallHours(int cores) => CoreHours / Math.Max(1, cores);
}
