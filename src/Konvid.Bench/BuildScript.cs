using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>One ./build.sh run in a child process: exit code, wall time including build.sh, and each target's line of the summary.</summary>
internal sealed record BuildRun(int ExitCode, double Seconds, IReadOnlyList<TargetLine> Targets, string Output)
{
    public double SecondsOf(params string[] targets) => Targets.Where(t => targets.Contains(t.Target)).Sum(t => t.Seconds);
}

/// <summary>One row of the engine's summary table.</summary>
internal sealed record TargetLine(string Target, string Status, double Seconds, string Note);

/// <summary>Spawns ./build.sh as a user would and reads the summary table the engine prints.</summary>
internal static partial class BuildScript
{
    [GeneratedRegex(@"^\s*(?<target>[A-Z][A-Za-z0-9]*)\s+(?<status>done|up to date|skipped|failed)\s+(?<seconds>[0-9.]+)s[ \t]*(?<note>[^\r\n]*)", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    public static async Task<BuildRun> RunAsync(BenchContext context, string workDir, IEnumerable<string> args, CancellationToken ct)
    {
        var script = Path.Combine(context.Options.RepoRoot, "build.sh");
        var clock = Stopwatch.StartNew();
        var result = await BenchTool.RunAsync(script,
            [.. args, "--work-dir", workDir, "--jobs", context.Jobs.ToString(CultureInfo.InvariantCulture)], ct, context.Options.RepoRoot, check: false);
        var seconds = clock.Elapsed.TotalSeconds;
        var output = result.StandardOutput + result.StandardError;
        return new BuildRun(result.ExitCode, seconds, ParseSummary(output), output);
    }

    public static IReadOnlyList<TargetLine> ParseSummary(string output) => SummaryLine().Matches(output)
        .Select(m => new TargetLine(m.Groups["target"].Value, m.Groups["status"].Value,
            double.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture), m.Groups["note"].Value.Trim()))
        .ToList();

    /// <summary>"Target: note" of the first failed target in the summary, else the last line of the output.</summary>
    public static string Why(BuildRun run) =>
        run.Targets.FirstOrDefault(t => t.Status == "failed") is { } failed
            ? $"{failed.Target}: {failed.Note}"
            : run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {run.ExitCode}";

    /// <summary>
    /// A build that fails because a stage is not built yet, or its corpus or parameter is not declared yet, is a missing
    /// row, not a broken stage.
    /// </summary>
    public static bool NotBuiltYet(BuildRun run) =>
        run.Output.Contains("not implemented yet", StringComparison.Ordinal)
        || run.Output.Contains("unknown corpus", StringComparison.Ordinal)
        || run.Output.Contains("unknown parameter", StringComparison.Ordinal);

    /// <summary>Runs the build and fails the bench on a broken stage; null (and the row omitted) when the pipeline is not built yet.</summary>
    public static async Task<BuildRun?> RequireAsync(BenchContext context, string row, string workDir, string[] args, CancellationToken ct)
    {
        var run = await RunAsync(context, workDir, args, ct);
        if (run.ExitCode == 0) return run;
        var command = $"./build.sh {string.Join(' ', args)}";
        if (!NotBuiltYet(run))
            throw new KonvidException($"Bench: {command} failed: {Why(run)}", $"run it by hand with --work-dir {workDir} to see why");
        context.Log.Omitted.Add(new Omission(row, $"`{command}` does not run yet: {Why(run)}"));
        return null;
    }

    /// <summary>
    /// Targets that did not report "up to date". <paramref name="aggregates"/> (Phase1: DependsOn only, no action and so
    /// no fingerprint) are left out: the engine reports them "done" in 0.0 s on every run, with nothing re-run.
    /// </summary>
    public static IReadOnlyList<string> NotUpToDate(IEnumerable<BuildRun> runs, params string[] aggregates) =>
        runs.SelectMany(r => r.Targets)
            .Where(t => t.Status != "up to date" && !(aggregates.Contains(t.Target) && t.Status == "done" && t.Seconds == 0))
            .Select(t => $"{t.Target} ({t.Status})").Distinct().ToList();
}
