using System.Diagnostics;
using System.Text.RegularExpressions;
using Konvid.Core.Workspace;

namespace Konvid.Core.Benchmarks;

/// <summary>
/// Whole Phase1 through ./build.sh in a child process, in a work dir of the bench's own: once from scratch, then the
/// no-op re-run (everything up to date), wall time including build.sh, each target's status read from the summary
/// table the engine prints.
/// </summary>
internal static partial class NoOpBench
{
    [GeneratedRegex(@"^\s*(?<target>[A-Z][A-Za-z0-9]*)\s+(?<status>done|up to date|skipped|failed)\s+(?<seconds>[0-9.]+)s[ \t]*(?<note>[^\r\n]*)", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    public sealed record BuildRun(int ExitCode, double Seconds, IReadOnlyList<(string Target, string Status, double Seconds, string Note)> Targets, string Output);

    public static async Task<BuildRun> BuildAsync(BenchContext context, string workDir, IEnumerable<string> args, CancellationToken ct)
    {
        var script = Path.Combine(context.Options.RepoRoot, "build.sh");
        var clock = Stopwatch.StartNew();
        var result = await BenchTool.RunAsync(script, [.. args, "--work-dir", workDir, "--jobs", context.Jobs.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ct, context.Options.RepoRoot, check: false);
        var seconds = clock.Elapsed.TotalSeconds;
        var output = result.StandardOutput + result.StandardError;
        var targets = SummaryLine().Matches(output)
            .Select(m => (m.Groups["target"].Value, m.Groups["status"].Value,
                double.Parse(m.Groups["seconds"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["note"].Value.Trim()))
            .ToList();
        return new BuildRun(result.ExitCode, seconds, targets, output);
    }

    /// <summary>"Target: note" of the first failed target in the summary, else the last line of the output.</summary>
    public static string Why(BuildRun run) =>
        run.Targets.FirstOrDefault(t => t.Status == "failed") is { Target.Length: > 0 } failed
            ? $"{failed.Target}: {failed.Note}"
            : run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {run.ExitCode}";

    /// <summary>A build that fails because a stage is not built yet (or its corpus is not declared yet) is not a broken stage.</summary>
    public static bool NotBuiltYet(BuildRun run) =>
        run.Output.Contains("not implemented yet", StringComparison.Ordinal) || run.Output.Contains("unknown corpus", StringComparison.Ordinal);

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var corpus = context.Options.Corpus;
        var workDir = context.Folder("phase1");
        string[] args = ["Phase1", "--corpus", corpus];
        var first = await BuildAsync(context, workDir, args, ct);
        if (first.ExitCode != 0)
        {
            if (!NotBuiltYet(first))
                throw new KonvidException($"Bench: ./build.sh Phase1 --corpus {corpus} failed: {Why(first)}", $"run it by hand with --work-dir {workDir} to see why");
            context.Log.Omitted.Add(new Omission($"Whole Phase1 and the no-op re-run on the {corpus} corpus", $"./build.sh Phase1 --corpus {corpus} does not run yet: {Why(first)}"));
            return;
        }

        var runs = new List<BuildRun>();
        var noOp = await Sampled.RunAsync(context.Runs, null, async c => runs.Add(await BuildAsync(context, workDir, args, c)), ct);
        var notUpToDate = runs.SelectMany(r => r.Targets).Where(t => t.Status != "up to date").Select(t => $"{t.Target} ({t.Status})").Distinct().ToList();
        if (runs.Any(r => r.ExitCode != 0))
            throw new KonvidException($"Bench: the no-op ./build.sh Phase1 --corpus {corpus} failed: {Why(runs.First(r => r.ExitCode != 0))}", $"run it by hand with --work-dir {workDir}");
        context.Log.Rows.Add(new BenchRow($"No-op ./build.sh Phase1 --corpus {corpus}", null,
            new Measured("./build.sh Phase1, all up to date", noOp.Wall), new NoOpBudget(5, notUpToDate),
            notUpToDate.Count == 0 ? $"every target reported up to date ({string.Join(", ", runs[0].Targets.Select(t => t.Target))})" : $"not up to date: {string.Join(", ", notUpToDate)}"));
        context.Log.Notes.Add($"First (full) ./build.sh Phase1 --corpus {corpus} took {BenchFormat.Seconds(first.Seconds)}: "
                              + string.Join(", ", first.Targets.Select(t => $"{t.Target} {t.Status} {BenchFormat.Seconds(t.Seconds)}")));
    }
}
