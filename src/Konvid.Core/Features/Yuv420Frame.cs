namespace Konvid.Core.Features;

/// <summary>
/// One decoded 8-bit yuv420p frame as ffmpeg writes it to a pipe: Y is Width x Height, U and V are
/// ceil(Width/2) x ceil(Height/2). The memory is borrowed from the decoder's buffer: copy what must outlive the call.
/// </summary>
public readonly record struct Yuv420Frame(int Index, double TimeS, int Width, int Height, ReadOnlyMemory<byte> Y, ReadOnlyMemory<byte> U, ReadOnlyMemory<byte> V)
{
    public static int BufferSize(int width, int height) => width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2);
}
