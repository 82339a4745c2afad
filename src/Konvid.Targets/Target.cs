namespace Konvid.Targets;

/// <summary>A target as a member of the build class, NUKE's idiom: <c>Target Probe =&gt; _ =&gt; _.DependsOn(Verify).Executes(...)</c>.</summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);

/// <summary>The fluent surface a target declaration sees.</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string description);

    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>Parameter values that decide the target's output; a change re-runs it and everything downstream.</summary>
    ITargetDefinition Keyed(Func<IEnumerable<object?>> values);

    /// <summary>Files or folders (inputs and outputs) whose size and mtime decide whether the recorded run still holds.</summary>
    ITargetDefinition Tracks(Func<IEnumerable<string>> paths);

    /// <summary>
    /// Files or folders the action changed, asked once it has run (so a target may name only what this run changed,
    /// from its action's report). Tracked folders are listed once per run and listed again after an action only if it
    /// may have changed them: declared, only what the target produced; undeclared, all of them. An incomplete
    /// declaration can make a later run run the target again, never skip it: the recorded fingerprint then holds a
    /// folder's state from before the action, which the next run finds changed.
    /// </summary>
    ITargetDefinition Produces(Func<IEnumerable<string>> paths);

    /// <summary>
    /// A code version of what the target produces (a format, an algorithm, model weights), by name: a changed value
    /// re-runs the target and everything downstream, and --plan names it. Declare each version the output depends on.
    /// </summary>
    ITargetDefinition Version(string name, string version);

    /// <summary>
    /// The target's result is what it writes on stdout (e.g. JSON for a pipe): when it is planned, the engine's own
    /// lines (target header, errors, summary) go to stderr instead.
    /// </summary>
    ITargetDefinition WritesResultToStdout();

    ITargetDefinition Executes(Action action);

    ITargetDefinition Executes(Func<Task> action);

    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}
