using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>What every benchmark receives: the options, a folder of its own under the bench dir, progress and the log.</summary>
internal sealed record BenchContext(BenchOptions Options, BenchLog Log, IProgressReporter Progress)
{
    public int Runs => Options.Runs;

    public int Jobs => Options.Jobs;

    public string Folder(string name)
    {
        var dir = Path.Combine(Options.BenchDir, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void Clear(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
