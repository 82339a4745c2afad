using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Spectre.Console;

namespace Konvid.Targets;

/// <summary>Runs a build class: binds parameters, plans, skips what is up to date, runs the rest, prints the summary.</summary>
public static class BuildEngine
{
    public const int ExitSuccess = 0, ExitFailed = 1, ExitUsage = 2, ExitCancelled = 130;

    /// <summary>The process entry point: Ctrl-C and SIGTERM cancel the running target through its token.</summary>
    public static async Task<int> MainAsync<T>(string[] args) where T : BuildBase, new()
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = !cts.IsCancellationRequested; cts.Cancel(); };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });
        // Logs and pipes are read by people and grep: one-line errors must not be wrapped at 80 columns.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 240;
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected) stderr.Profile.Width = 240;
        return await ExecuteAsync(new T(), args, AnsiConsole.Console, Environment.GetEnvironmentVariable, cts.Token, stderr);
    }

    /// <param name="stderr">Where the engine writes instead of <paramref name="console"/> when a planned target's result is its stdout.</param>
    public static async Task<int> ExecuteAsync(BuildBase build, IReadOnlyList<string> args, IAnsiConsole console,
        Func<string, string?> environment, CancellationToken ct = default, IAnsiConsole? stderr = null)
    {
        IReadOnlyList<TargetDefinition> declared;
        CommandLine line;
        IReadOnlyList<ParameterInfo> parameters;
        try
        {
            declared = Declare(build);
            line = CommandLine.Parse(args);
            parameters = ParameterSet.Bind(build, line.Parameters, environment, Path.Combine(build.RootDirectory, ".nuke", "parameters.json"));
        }
        catch (BuildUsageException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitUsage;
        }

        ParametersSchema.Update(Path.Combine(build.RootDirectory, ".nuke"), parameters, declared);
        if (line.Help || line.Targets.Count == 0)
        {
            BuildConsole.PrintHelp(console, Planner.Plan(declared, declared), parameters);
            return line.Help ? ExitSuccess : ExitUsage;
        }

        IReadOnlyList<TargetDefinition> plan;
        HashSet<TargetDefinition> invoked, skipped;
        try
        {
            invoked = line.Targets.Select(name => Find(declared, name)).ToHashSet();
            build.InvokedTargets = invoked.Select(t => t.Name).ToList();
            plan = Planner.Plan(declared, invoked.ToList());
            skipped = line.Skip switch
            {
                null => [],
                { Count: 0 } => plan.Where(t => !invoked.Contains(t)).ToHashSet(),
                var names => names.Select(name => Find(declared, name)).ToHashSet(),
            };
        }
        catch (BuildUsageException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitUsage;
        }

        if (stderr is not null && plan.Any(t => t.ResultOnStdout)) console = stderr;
        var forced = line.Force ? invoked : [];
        if (line.Plan)
        {
            var predicted = new Dictionary<TargetDefinition, string>();
            var willRun = new HashSet<TargetDefinition>();
            try
            {
                BuildConsole.PrintPlan(console, plan, t =>
            {
                var print = predicted[t] = Fingerprint.Compute(t, t.Dependencies.Select(d => predicted[d]));
                if (skipped.Contains(t)) return "skip";
                var upstream = t.Dependencies.Any(d => willRun.Contains(d));
                if (forced.Contains(t) || upstream || !IsRecorded(build, t, print)) { willRun.Add(t); return "will run"; }
                return "up to date";
            });
            }
            catch (Exception e) when (build.IsExpectedFailure(e))
            {
                console.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return ExitFailed;
            }
            return ExitSuccess;
        }

        IDisposable? run;
        try
        {
            run = build.BeginRun();
        }
        catch (Exception e) when (build.IsExpectedFailure(e))
        {
            // A run that cannot start (work dir locked by another run, or not writable) is an expected failure too.
            console.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return ExitFailed;
        }
        using var held = run;
        var fingerprints = new Dictionary<TargetDefinition, string>();
        var outcomes = new List<TargetOutcome>();
        var failed = new HashSet<TargetDefinition>();
        var exit = ExitSuccess;
        foreach (var target in plan)
        {
            var blocker = target.Dependencies.FirstOrDefault(failed.Contains);
            if (blocker is not null || ct.IsCancellationRequested)
            {
                failed.Add(target);
                outcomes.Add(new(target.Name, TargetStatus.Skipped, TimeSpan.Zero, blocker is null ? "cancelled" : $"{blocker.Name} did not succeed"));
                continue;
            }
            var clock = Stopwatch.StartNew();
            try
            {
                // Fingerprints evaluate the target's keys (catalog, parameters): a bad one fails this target, not the engine.
                var dependencyPrints = target.Dependencies.Select(d => fingerprints[d]).ToList();
                if (skipped.Contains(target))
                {
                    // A skipped target's inputs may be unreadable here (e.g. a cluster task without the corpus catalog);
                    // its dependents then key on the skip itself.
                    try { fingerprints[target] = Fingerprint.Compute(target, dependencyPrints); }
                    catch (Exception e) when (build.IsExpectedFailure(e)) { fingerprints[target] = $"skipped:{target.Name}"; }
                    outcomes.Add(new(target.Name, TargetStatus.Skipped, TimeSpan.Zero, "--skip"));
                    continue;
                }
                var before = target.IsIncremental ? Fingerprint.Compute(target, dependencyPrints) : null;
                var recordFile = build.FingerprintFile(target.Name);
                if (before is not null && !forced.Contains(target) && IsRecorded(build, target, before))
                {
                    fingerprints[target] = before;
                    outcomes.Add(new(target.Name, TargetStatus.UpToDate, TimeSpan.Zero));
                    continue;
                }

                if (console.Profile.Capabilities.Interactive) console.Write(new Rule($"[bold]{Markup.Escape(target.Name)}[/]").LeftJustified());
                else console.WriteLine($"── {target.Name} ──");
                clock.Restart();
                // A stale record must not survive a run that dies half-way.
                if (recordFile is not null && File.Exists(recordFile)) File.Delete(recordFile);
                if (target.Action is not null) await target.Action(ct);
                ct.ThrowIfCancellationRequested();
                var after = Fingerprint.Compute(target, dependencyPrints);
                fingerprints[target] = after;
                if (target.IsIncremental && recordFile is not null) Fingerprint.Record(recordFile, target.Name, after);
                outcomes.Add(new(target.Name, TargetStatus.Done, clock.Elapsed));
            }
            catch (Exception e)
            {
                failed.Add(target);
                var cancelled = e is OperationCanceledException && ct.IsCancellationRequested;
                exit = cancelled ? ExitCancelled : ExitFailed;
                var note = cancelled ? "cancelled" : FirstLine(e);
                outcomes.Add(new(target.Name, TargetStatus.Failed, clock.Elapsed, note));
                if (cancelled) console.MarkupLineInterpolated($"[yellow]{target.Name}: cancelled; nothing recorded, re-run to continue[/]");
                else if (build.IsExpectedFailure(e))
                    console.MarkupLineInterpolated($"[red]{(e.Message.StartsWith(target.Name + ":", StringComparison.Ordinal) ? e.Message : $"{target.Name}: {e.Message}")}[/]");
                else
                {
                    console.MarkupLineInterpolated($"[red]{target.Name} failed with an unexpected error (a bug; please report it):[/]");
                    console.WriteLine(e.ToString());
                }
            }
        }

        BuildConsole.PrintSummary(console, outcomes);
        return exit;
    }

    private static string FirstLine(Exception e) => e.Message.Split('\n')[0];

    private static bool IsRecorded(BuildBase build, TargetDefinition target, string fingerprint) =>
        target.IsIncremental && build.FingerprintFile(target.Name) is { } file && Fingerprint.ReadRecorded(file) == fingerprint;

    private static TargetDefinition Find(IReadOnlyList<TargetDefinition> declared, string name) =>
        declared.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new BuildUsageException($"unknown target '{name}'; targets: {string.Join(", ", declared.Select(t => t.Name))}");

    /// <summary>Evaluates every Target member once, so dependencies refer to the same definitions.</summary>
    private static IReadOnlyList<TargetDefinition> Declare(BuildBase build)
    {
        var properties = build.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType == typeof(Target))
            .OrderBy(p => p.MetadataToken)
            .ToList();
        var declared = new List<TargetDefinition>();
        var byDelegate = new Dictionary<Target, TargetDefinition>(new TargetComparer());
        foreach (var property in properties)
        {
            var definition = new TargetDefinition(property.Name);
            var target = (Target)property.GetValue(build)!;
            target(definition);
            declared.Add(definition);
            byDelegate[target] = definition;
        }
        foreach (var definition in declared)
            definition.Dependencies = definition.DeclaredDependencies.Select(d => byDelegate[d]).ToList();
        return declared;
    }

    /// <summary>
    /// Expression-bodied Target members return a new delegate on every read; two delegates denote the same target
    /// when they come from the same lambda (same method), which is what this compares.
    /// </summary>
    private sealed class TargetComparer : IEqualityComparer<Target>
    {
        public bool Equals(Target? x, Target? y) => x?.Method == y?.Method;

        public int GetHashCode(Target obj) => obj.Method.GetHashCode();
    }
}
