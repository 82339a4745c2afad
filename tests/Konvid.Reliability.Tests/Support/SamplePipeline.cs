namespace Konvid.Reliability.Tests.Support;

/// <summary>./build.sh on the tiny sample corpus, classic features only: the arguments every crash test shares.</summary>
public static class SamplePipeline
{
    public static readonly string[] Order = ["Download", "Verify", "Probe", "Features", "Jsonl", "Train"];

    public static readonly IReadOnlyDictionary<string, string> Env = new Dictionary<string, string> { ["KONVID_SAMPLE_SIZE"] = "tiny" };

    /// <summary>The 60-clip sample: the tiny one's 12 rows cannot hold out the 4 that Train needs besides 10 to train on.</summary>
    public static readonly IReadOnlyDictionary<string, string> SmallEnv = new Dictionary<string, string> { ["KONVID_SAMPLE_SIZE"] = "small" };

    public static string[] Args(string target, string workDir, bool deep = false) =>
        [target, "--corpus", "sample", "--work-dir", workDir, "--deep-features", deep ? "true" : "false", "--jobs", "2", "--seeds", "0,1", "--cv-folds", "2"];

    public static KonvidProcess Start(string target, string workDir, bool deep = false) => KonvidProcess.Start(Args(target, workDir, deep), Env);

    public static async Task<KonvidProcess.Result> RunAsync(string target, string workDir, bool deep = false)
    {
        var result = await KonvidProcess.RunAsync(Args(target, workDir, deep), Env);
        if (result.ExitCode != 0) throw new InvalidOperationException($"./build.sh {target} failed ({result.ExitCode}):\n{result.Output}");
        return result;
    }

    public static string? Previous(string target) => Array.IndexOf(Order, target) is var i && i > 0 ? Order[i - 1] : null;

    /// <summary>Copies a generated sample origin so a new work dir does not generate it again (the stage reuses a complete origin).</summary>
    public static void SeedOrigin(string fromWorkDir, string toWorkDir)
    {
        var from = Path.Combine(fromWorkDir, "sample-origin");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(toWorkDir, "sample-origin", Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
            File.SetLastWriteTimeUtc(to, File.GetLastWriteTimeUtc(file));
        }
    }
}
