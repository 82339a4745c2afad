using System.Diagnostics;
using System.Xml.Linq;

namespace Konvid.Targets.Tools;

/// <summary>
/// Runs the test projects one after another (so their ffmpeg- and ONNX-heavy fixtures do not fight over two
/// cores), each with a TRX logger, lists every skipped test with its reason, and ends with one line
/// "N passed, N failed, N skipped" counted from the TRX files.
/// </summary>
public static class DotNetTest
{
    public sealed record Counts(int Passed, int Failed, int Skipped, IReadOnlyList<SkippedTest> SkippedTests);

    public sealed record SkippedTest(string Name, string Reason);

    public static async Task RunAsync(string root, IReadOnlyList<string> projects, string? filter, CancellationToken ct)
    {
        var results = Path.Combine(root, "TestResults");
        if (Directory.Exists(results)) Directory.Delete(results, recursive: true);
        var exitCodes = new List<(string Project, int Code)>();
        foreach (var project in projects)
        {
            var args = new List<string> { "test", Path.Combine(root, project), "--logger", $"trx;LogFileName={Path.GetFileName(project)}.trx", "--results-directory", results, "--nologo" };
            if (filter is not null) args.AddRange(["--filter", filter]);
            exitCodes.Add((project, await RunAsync("dotnet", args, ct)));
        }

        var counts = Count(results);
        foreach (var skipped in counts.SkippedTests)
            Console.WriteLine($"skipped: {skipped.Name}: {skipped.Reason}");
        Console.WriteLine($"{counts.Passed} passed, {counts.Failed} failed, {counts.Skipped} skipped");
        var broken = exitCodes.Where(e => e.Code != 0).Select(e => e.Project).ToList();
        if (counts.Failed > 0 || broken.Count > 0)
            throw new InvalidOperationException($"tests failed in {string.Join(", ", broken)}: {counts.Failed} failed");
        if (counts.Passed == 0)
            throw new InvalidOperationException("no test ran");
    }

    /// <summary>
    /// Sums the outcomes of every TRX file under <paramref name="folder"/>. A skipped test is in the TRX total but not
    /// among the executed, and its counter (notExecuted) stays 0, so skips are counted as total minus executed.
    /// </summary>
    public static Counts Count(string folder)
    {
        int passed = 0, failed = 0, skipped = 0;
        var skippedTests = new List<SkippedTest>();
        if (!Directory.Exists(folder)) return new(0, 0, 0, []);
        foreach (var trx in Directory.EnumerateFiles(folder, "*.trx", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var doc = XDocument.Load(trx);
            var counters = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
            if (counters is null) continue;
            int Get(string name) => int.TryParse(counters.Attribute(name)?.Value, out var n) ? n : 0;
            passed += Get("passed");
            failed += Get("failed") + Get("error") + Get("timeout") + Get("aborted");
            skipped += Math.Max(0, Get("total") - Get("executed"));
            skippedTests.AddRange(doc.Descendants()
                .Where(e => e.Name.LocalName == "UnitTestResult" && (string?)e.Attribute("outcome") == "NotExecuted")
                .Select(e => new SkippedTest((string?)e.Attribute("testName") ?? "?",
                    e.Descendants().FirstOrDefault(m => m.Name.LocalName == "Message")?.Value.Trim() ?? "no reason given")));
        }
        return new(passed, failed, skipped, skippedTests);
    }

    private static async Task<int> RunAsync(string file, IEnumerable<string> args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        try { await process.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        return process.ExitCode;
    }
}
