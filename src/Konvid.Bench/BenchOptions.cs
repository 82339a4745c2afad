namespace Konvid.Bench;

/// <summary>
/// What Bench measures and where: <paramref name="RepoRoot"/> holds build.sh (spawned for the no-op rows),
/// <paramref name="WorkDir"/>/bench/ receives every file the benchmarks make, <paramref name="Corpus"/> is the corpus
/// of the whole-pipeline rows (normally <c>sample</c>), <paramref name="Jobs"/> the parallelism given to our stages and
/// to their limits alike. <paramref name="Quick"/> runs fewer repetitions on smaller inputs and never fails on timing.
/// <paramref name="Only"/>, when given, keeps the benchmarks whose name contains it.
/// </summary>
public sealed record BenchOptions(string RepoRoot, string WorkDir, string Corpus, int Jobs, bool Quick, string OutputMarkdown, string? Only = null)
{
    /// <summary>Timed repetitions per benchmark, after one untimed warm-up.</summary>
    public int Runs => Quick ? 1 : 3;

    public string BenchDir => Path.Combine(Path.GetFullPath(WorkDir), "bench");
}
