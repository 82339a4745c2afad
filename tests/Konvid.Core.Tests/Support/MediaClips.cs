using Konvid.Testing;
namespace Konvid.Core.Tests.Support;

/// <summary>
/// Small real clips made once per test run for the Media and Features tests: each covers a case Probe and Features must
/// handle (rotation, 10-bit, VP9 in WebM, odd size, NTSC rate, a hostile file name). Tests copy them into their own corpus.
/// </summary>
public static class MediaClips
{
    private static readonly Lazy<Task<string>> Folder = new(MakeAsync);

    /// <summary>The clips' file names, which are also the clip ids the shard tests rely on.</summary>
    public static readonly IReadOnlyList<string> Good =
    [
        "plain.mp4", "rotated.mp4", "ten-bit.mp4", "vp9.webm", "odd-161x91.mkv", "ntsc.mp4", "-lead 'q\" ünï.mp4",
    ];

    public static async Task<string> PathOf(string name) => Path.Combine(await Folder.Value, name);

    /// <summary>Copies the good clips (or the named ones) into the corpus's clips/ folder.</summary>
    public static async Task CopyToAsync(MediaCorpus corpus, params string[] names)
    {
        foreach (var name in names.Length == 0 ? Good : names)
            File.Copy(await PathOf(name), corpus.ClipPath(name));
    }

    private static async Task<string> MakeAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "konvid-media-clips-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        // Shared by every test of the run, so removed when the test host exits rather than per test.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        string P(string name) => Path.Combine(dir, name);
        const string Src = "testsrc2=size=160x90:rate=25";
        await Ffmpeg.MakeClipAsync(P("plain.mp4"), Src, 1, "-c:v", "libx264", "-pix_fmt", "yuv420p");
        // Rotation as a display matrix, the way phones record portrait video.
        await Ffmpeg.RunAsync("-i", P("plain.mp4"), "-c", "copy", "-metadata:s:v:0", "rotate=90", P("rotated.mp4"));
        await Ffmpeg.MakeClipAsync(P("ten-bit.mp4"), "testsrc2=size=176x96:rate=24", 1, "-c:v", "libx264", "-pix_fmt", "yuv420p10le");
        await Ffmpeg.MakeClipAsync(P("vp9.webm"), "mandelbrot=size=160x96:rate=30", 1, "-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p");
        await Ffmpeg.MakeClipAsync(P("odd-161x91.mkv"), "testsrc=size=161x91:rate=15", 1, "-c:v", "ffv1", "-pix_fmt", "yuv420p");
        await Ffmpeg.MakeClipAsync(P("ntsc.mp4"), "life=size=192x108:rate=30000/1001:mold=10:ratio=0.5", 1, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-color_range", "pc");
        await Ffmpeg.MakeClipAsync(P("-lead 'q\" ünï.mp4"), "smptebars=size=160x90:rate=25", 1, "-c:v", "libx264", "-pix_fmt", "yuv420p");
        return dir;
    }
}
