using System.Text;
using CliWrap;
using Konvid.Core.Workspace;

namespace Konvid.Core.Features;

/// <summary>
/// Decodes a clip once with ffmpeg into raw 8-bit 4:2:0 frames on a pipe (CliWrap) and hands each frame, borrowed from one
/// reused buffer, to the analyzers. 10-bit and other formats are converted by ffmpeg into the range the caller asks for
/// (<see cref="DecodedRange"/>), which each frame carries; rotation is applied (-autorotate);
/// every decoded frame is delivered once (-fps_mode passthrough), so VFR clips are neither padded nor thinned.
/// </summary>
internal static class RawFrameDecoder
{
    /// <summary>
    /// Returns the number of frames decoded and what ffmpeg reported on stderr at level "error" (cleaned lines: damage the
    /// decoder or demuxer met, judged by <see cref="DecodeDamage"/>); throws <see cref="KonvidException"/> when ffmpeg fails
    /// or the stream is cut mid-frame.
    /// </summary>
    public static async Task<(int Frames, IReadOnlyList<string> Errors)> DecodeAsync(string path, int width, int height, double framerate, bool fullRange, int threads,
        IReadOnlyList<IFrameAnalyzer> analyzers, CancellationToken ct)
    {
        var name = Path.GetFileName(path);
        var input = "file:" + Path.GetFullPath(path);
        var frameSize = Yuv420Frame.BufferSize(width, height);
        var lumaSize = width * height;
        var chromaSize = ((width + 1) / 2) * ((height + 1) / 2);
        var frames = 0;
        var partial = false;

        // Blocking reads on a thread of their own: the work per frame is CPU-bound anyway, and an async read per 64 KiB of
        // pipe costs a thread-pool hop each, a measurable share of the decoder's own time at 960x540.
        void ReadFrames(Stream output, CancellationToken token)
        {
            var buffer = new byte[frameSize];
            var memory = buffer.AsMemory();
            while (true)
            {
                var read = output.ReadAtLeast(buffer, frameSize, throwOnEndOfStream: false);
                if (read == 0) return;
                if (read < frameSize) { partial = true; return; }
                token.ThrowIfCancellationRequested();
                var frame = new Yuv420Frame(frames, framerate > 0 ? frames / framerate : 0, width, height,
                    memory[..lumaSize], memory.Slice(lumaSize, chromaSize), memory.Slice(lumaSize + chromaSize, chromaSize), fullRange);
                // Indexed, not foreach: an interface enumerator would be one allocation per frame.
                for (var i = 0; i < analyzers.Count; i++) analyzers[i].Add(frame);
                frames++;
            }
        }

        var stderr = new StringBuilder();
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments([
                "-nostdin", "-hide_banner", "-loglevel", "error",
                "-threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "-autorotate", "1", "-i", input,
                "-map", "0:v:0", "-an", "-sn", "-dn", "-fps_mode", "passthrough",
                "-s", $"{width}x{height}", "-pix_fmt", DecodedRange.PixelFormat(fullRange), "-avioflags", "direct", "-f", "rawvideo", "pipe:1"])
            .WithStandardOutputPipe(PipeTarget.Create((output, token) =>
                Task.Factory.StartNew(() => ReadFrames(output, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default)))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(ct);

        var errors = ToolMessage.Lines(stderr.ToString(), input, name);
        var message = string.Join("; ", errors);
        if (result.ExitCode != 0)
            throw new KonvidException($"ffmpeg could not decode {name}: {(message.Length > 0 ? message : $"exit code {result.ExitCode}")}",
                "the clip is damaged or in a format this ffmpeg cannot decode");
        if (partial)
            throw new KonvidException($"ffmpeg's output for {name} ended mid-frame ({width}x{height} expected)", "the clip changes size or is damaged");
        if (frames == 0)
            throw new KonvidException($"ffmpeg decoded no frames from {name}{(message.Length > 0 ? ": " + message : "")}", "the clip has no decodable video");
        return (frames, errors);
    }
}
