using System.Runtime.InteropServices;
using Spectre.Console;

namespace Konvid.Targets;

/// <summary>
/// Runs a build class: reads its targets (<see cref="TargetDeclarations"/>), binds its parameters
/// (<see cref="ParameterSet"/>), plans (<see cref="Planner"/>), then prints the plan (<see cref="PlanPreview"/>) or
/// runs it (<see cref="Executor"/>); everything it prints goes through <see cref="BuildConsole"/>.
/// </summary>
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

    /// <param name="stderr">Where the engine writes instead of <paramref name="ansiConsole"/> when a planned target's result is its stdout.</param>
    public static async Task<int> ExecuteAsync(BuildBase build, IReadOnlyList<string> args, IAnsiConsole ansiConsole,
        Func<string, string?> environment, CancellationToken ct = default, IAnsiConsole? stderr = null)
    {
        var console = new BuildConsole(ansiConsole);
        IReadOnlyList<TargetDefinition> declared;
        CommandLine line;
        IReadOnlyList<ParameterInfo> parameters;
        BuildPlan? plan = null;
        try
        {
            declared = build.Declared = TargetDeclarations.Declare(build);
            line = CommandLine.Parse(args);
            parameters = ParameterSet.Bind(build, line.Parameters, environment, Path.Combine(build.RootDirectory, ".nuke", "parameters.json"));
            ParametersSchema.Update(Path.Combine(build.RootDirectory, ".nuke"), parameters, declared);
            if (!line.Help && line.Targets.Count > 0)
            {
                plan = Planner.Plan(declared, line);
                build.InvokedTargets = plan.Invoked.Select(t => t.Name).ToList();
            }
        }
        catch (BuildUsageException e)
        {
            console.UsageError(e.Message);
            return ExitUsage;
        }

        if (plan is null)
        {
            console.Help(Planner.Order(declared, declared), parameters);
            return line.Help ? ExitSuccess : ExitUsage;
        }
        if (stderr is not null && plan.Order.Any(t => t.ResultOnStdout)) console = new BuildConsole(stderr);
        return line.Plan ? Preview(build, plan, console) : await RunAsync(build, plan, console, ct);
    }

    private static int Preview(BuildBase build, BuildPlan plan, BuildConsole console)
    {
        try
        {
            console.Plan(PlanPreview.Predict(build, plan));
            return ExitSuccess;
        }
        catch (Exception e) when (build.IsExpectedFailure(e))
        {
            console.Failure(e.Message);
            return ExitFailed;
        }
    }

    private static async Task<int> RunAsync(BuildBase build, BuildPlan plan, BuildConsole console, CancellationToken ct)
    {
        IDisposable? run;
        try
        {
            run = build.BeginRun();
        }
        catch (Exception e) when (build.IsExpectedFailure(e))
        {
            // A run that cannot start (work dir locked by another run, or not writable) is an expected failure too.
            console.Failure(e.Message);
            return ExitFailed;
        }
        using var held = run;
        var executor = new Executor(build, console, ct);
        var outcomes = await executor.RunAsync(plan);
        console.Summary(outcomes);
        try
        {
            foreach (var note in build.SummaryNotes(executor.Acted, executor.ListedFolders)) console.Note(note);
        }
        catch (Exception e) when (build.IsExpectedFailure(e) || e is IOException or UnauthorizedAccessException)
        {
            console.Warning(e.Message);
        }
        return executor.Cancelled ? ExitCancelled
            : outcomes.Any(o => o.Status == TargetStatus.Failed) ? ExitFailed
            : ExitSuccess;
    }
}
