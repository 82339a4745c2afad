using System.Globalization;
using Spectre.Console;

namespace Konvid.Targets;

/// <summary>What the engine prints: help, usage errors, the plan, each target's start and failure, the summary table.</summary>
internal sealed class BuildConsole(IAnsiConsole console)
{
    public void Help(IReadOnlyList<TargetDefinition> targets, IReadOnlyList<ParameterInfo> parameters)
    {
        console.WriteLine("Usage: ./build.sh [Targets...] [--parameter value...] [--plan] [--skip [T...]] [--force] [--help]");
        console.WriteLine();
        var table = new Table().Border(TableBorder.Simple).AddColumns("Target", "Depends on", "Description");
        foreach (var t in targets)
            table.AddRow(Markup.Escape(t.Name), Markup.Escape(string.Join(", ", t.Dependencies.Select(d => d.Name))), Markup.Escape(t.Summary));
        console.Write(table);
        var ps = new Table().Border(TableBorder.Simple).AddColumns("Parameter", "Value", "Default", "Description");
        foreach (var p in parameters)
            ps.AddRow(Markup.Escape($"--{p.CliName}"), Markup.Escape(ParameterSet.Describe(p.Type)), Markup.Escape(p.DefaultText ?? "-"),
                Markup.Escape($"{p.Description} (env {p.EnvName})"));
        console.Write(ps);
        console.WriteLine("Engine switches: --plan prints the ordered plan and runs nothing; --skip T1 T2 skips targets (alone: every dependency); --force re-runs the named targets even if up to date.");
    }

    public void UsageError(string message) => console.MarkupLineInterpolated($"[red]error:[/] {message}");

    /// <summary>An expected failure outside any target (a run that cannot start, a plan whose inputs cannot be read).</summary>
    public void Failure(string message) => console.MarkupLineInterpolated($"[red]{message}[/]");

    public void Plan(IReadOnlyList<(TargetDefinition Target, string Status)> lines)
    {
        console.WriteLine("Plan:");
        var i = 1;
        foreach (var (target, status) in lines)
            console.WriteLine($"  {i++}. {target.Name,-10} {status}");
    }

    /// <summary>The target's rule line, with why it runs (the reason --plan gave).</summary>
    public void TargetStarts(string target, string reason)
    {
        if (console.Profile.Capabilities.Interactive)
            console.Write(new Rule($"[bold]{Markup.Escape(target)}[/] [grey]{Markup.Escape(reason)}[/]").LeftJustified());
        else console.WriteLine($"── {target} ── {reason}");
    }

    public void TargetCancelled(string target) =>
        console.MarkupLineInterpolated($"[yellow]{target}: cancelled; nothing recorded, re-run to continue[/]");

    public void TargetFailed(string target, Exception e, bool expected)
    {
        if (expected)
            console.MarkupLineInterpolated($"[red]{(e.Message.StartsWith(target + ":", StringComparison.Ordinal) ? e.Message : $"{target}: {e.Message}")}[/]");
        else
        {
            console.MarkupLineInterpolated($"[red]{target} failed with an unexpected error (a bug; please report it):[/]");
            console.WriteLine(e.ToString());
        }
    }

    /// <summary>A plain line under the summary (the build's notes, e.g. disk use); a note that cannot be made is a warning, not a failure.</summary>
    public void Note(string line) => console.WriteLine(line);

    public void Warning(string message) => console.MarkupLineInterpolated($"[yellow]{message}[/]");

    public void Summary(IReadOnlyList<TargetOutcome> outcomes)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("Target", "Status", "Duration", "Note");
        foreach (var o in outcomes)
        {
            var status = o.Status switch
            {
                TargetStatus.Done => "[green]done[/]",
                TargetStatus.UpToDate => "[grey]up to date[/]",
                TargetStatus.Skipped => "[yellow]skipped[/]",
                _ => "[red]failed[/]",
            };
            table.AddRow(Markup.Escape(o.Name), status, o.Duration.TotalSeconds.ToString("0.0s", CultureInfo.InvariantCulture), Markup.Escape(o.Note ?? ""));
        }
        console.Write(table);
        var total = TimeSpan.FromTicks(outcomes.Sum(o => o.Duration.Ticks));
        console.WriteLine(outcomes.Any(o => o.Status == TargetStatus.Failed)
            ? $"Build failed ({total.TotalSeconds:0.0}s)"
            : $"Build succeeded ({total.TotalSeconds:0.0}s)");
    }
}
