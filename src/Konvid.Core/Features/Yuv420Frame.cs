namespace Konvid.Core.Features;

/// <summary>
/// One decoded 8-bit 4:2:0 frame as ffmpeg writes it to a pipe: Y is Width x Height, U and V are
/// ceil(Width/2) x ceil(Height/2). <see cref="FullRange"/>: the samples span 0..255 (yuvj420p) instead of BT.601's
/// 16..235/16..240 (yuv420p), as the decoder asked ffmpeg for (<see cref="DecodedRange"/>).
/// The memory is borrowed from the decoder's buffer: copy what must outlive the call.
/// </summary>
public readonly record struct Yuv420Frame(int Index, double TimeS, int Width, int Height, ReadOnlyMemory<byte> Y, ReadOnlyMemory<byte> U, ReadOnlyMemory<byte> V,
    bool FullRange = false)
{
    public static int BufferSize(int width, int height) => width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2);
}
