using System.Text;

namespace Konvid.Bench;

/// <summary>Renders a bench run as docs/benchmarks.md: machine, one table row per benchmark, omissions, notes, extrapolation.</summary>
public static class BenchMarkdown
{
    public static string Render(BenchReport report)
    {
        var m = report.Machine;
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine($"Written by `./build.sh Bench{(report.Quick ? " --quick" : "")}` on {m.Date:yyyy-MM-dd HH:mm} UTC; do not edit by hand. "
                      + "Every figure is set against the limit measured on this machine in the same run, because absolute times on shared machines drift.");
        md.AppendLine();
        md.AppendLine("## Machine");
        md.AppendLine();
        md.AppendLine("| Cores | CPU | Memory | ffmpeg | .NET | OS | Load average (1/5/15 min) at start | at end |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        md.AppendLine($"| {m.Cores} | {Cell(m.Cpu)} | {BenchFormat.Number(m.MemoryGiB)} GiB | {Cell(m.Ffmpeg)} | {Cell(m.DotNet)} | {Cell(m.Os)} | {m.LoadAtStart} | {m.LoadAtEnd ?? "-"} |");
        md.AppendLine();
        md.AppendLine($"Each figure is the median of {report.Runs} timed run{(report.Runs == 1 ? "" : "s")} after one untimed warm-up, "
                      + $"with min-max in brackets; our stages and their limits ran at the same parallelism (--jobs {report.Jobs}). "
                      + "Ratio = limit time / our time, so above 1 we are faster than the limit.");
        md.AppendLine();
        md.AppendLine("## Results");
        md.AppendLine();
        md.AppendLine("| Benchmark | Limit | Ours | Ratio | Goal | Result |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in report.Rows)
        {
            var result = row.Met switch { true => "met", false => "**MISSED**", null => "-" };
            md.AppendLine($"| {Cell(row.Name)} | {(row.Limit is null ? "-" : Cell(BenchFormat.Measured(row.Limit)))} | {Cell(BenchFormat.Measured(row.Ours))} "
                          + $"| {(row.Ratio is { } r ? BenchFormat.Ratio(r) : "-")} | {(row.Goal is null ? "-" : Cell(row.Goal.Text))} | {result} |");
        }
        var notes = report.Rows.Where(r => r.Note is not null).ToList();
        if (notes.Count > 0)
        {
            md.AppendLine();
            foreach (var row in notes) md.AppendLine($"- **{row.Name}**{(row.Met == false ? " (missed)" : "")}: {row.Note}");
        }
        if (report.Omitted.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Not measured in this run");
            md.AppendLine();
            foreach (var o in report.Omitted) md.AppendLine($"- {o.Row}: {o.Reason}");
        }
        if (report.Notes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Method");
            md.AppendLine();
            foreach (var n in report.Notes) md.AppendLine($"- {n}");
        }
        md.AppendLine();
        md.AppendLine("## Extrapolation to KonViD-150k");
        md.AppendLine();
        if (report.Extrapolation.Count == 0)
        {
            md.AppendLine("No per-frame cost was measured in this run, so there is no extrapolation.");
        }
        else
        {
            md.AppendLine($"{ScaleEstimate.Clips:#,0} clips of {ScaleEstimate.Seconds:0} s at {ScaleEstimate.Width}x{ScaleEstimate.Height}, "
                          + $"~{ScaleEstimate.FramesPerSecond:0} fps ({ScaleEstimate.FramesPerClip:0} frames a clip), from CPU seconds measured per frame in this run "
                          + "(CPU time of the process and its ffmpeg children, so the load of other users does not inflate it).");
            md.AppendLine();
            md.AppendLine($"| Stage | Core-seconds per clip | Core-hours | Wall hours on {m.Cores} cores | Wall hours on 64 cores | Basis |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var e in report.Extrapolation)
                md.AppendLine($"| {Cell(e.What)} | {BenchFormat.Number(e.CoreSecondsPerClip)} | {BenchFormat.Number(e.CoreHours)} | {BenchFormat.Number(e.WallHours(m.Cores))} "
                              + $"| {BenchFormat.Number(e.WallHours(64))} | {Cell(e.Basis)} |");
        }
        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
