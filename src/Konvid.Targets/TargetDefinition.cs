namespace Konvid.Targets;

/// <summary>What a target declaration collected; the engine reads it, the build class never sees it.</summary>
internal sealed class TargetDefinition(string name) : ITargetDefinition
{
    public string Name { get; } = name;
    public string Summary { get; private set; } = "";
    public List<Target> DeclaredDependencies { get; } = [];

    /// <summary>The dependencies as definitions, resolved by the engine once every target is declared.</summary>
    public IReadOnlyList<TargetDefinition> Dependencies { get; set; } = [];
    public List<Func<IEnumerable<object?>>> Keys { get; } = [];
    public List<Func<IEnumerable<string>>> TrackedPaths { get; } = [];
    public List<Func<IEnumerable<string>>> ProducedPaths { get; } = [];
    public List<(string Name, string Value)> Versions { get; } = [];
    public Func<CancellationToken, Task>? Action { get; private set; }
    public bool ResultOnStdout { get; private set; }

    /// <summary>Only targets that declare what decides their output can ever be up to date.</summary>
    public bool IsIncremental => Keys.Count > 0 || TrackedPaths.Count > 0;

    public ITargetDefinition Description(string description) { Summary = description; return this; }

    public ITargetDefinition DependsOn(params Target[] targets) { DeclaredDependencies.AddRange(targets); return this; }

    public ITargetDefinition Keyed(Func<IEnumerable<object?>> values) { Keys.Add(values); return this; }

    public ITargetDefinition Tracks(Func<IEnumerable<string>> paths) { TrackedPaths.Add(paths); return this; }

    public ITargetDefinition Produces(Func<IEnumerable<string>> paths) { ProducedPaths.Add(paths); return this; }

    public ITargetDefinition Version(string name, string version)
    {
        if (Versions.Any(v => v.Name == name)) throw new InvalidOperationException($"target {Name} declares version {name} twice");
        Versions.Add((name, version));
        return this;
    }

    public ITargetDefinition WritesResultToStdout() { ResultOnStdout = true; return this; }

    public ITargetDefinition Executes(Action action) => SetAction(action, _ => { action(); return Task.CompletedTask; });

    public ITargetDefinition Executes(Func<Task> action) => SetAction(action, _ => action());

    public ITargetDefinition Executes(Func<CancellationToken, Task> action) => SetAction(action, action);

    /// <summary>The delegates the declaration supplied, as written (not wrapped): what <see cref="ParameterUsage"/> reads.</summary>
    public IEnumerable<Delegate> Code => [.. Keys, .. TrackedPaths, .. ProducedPaths, .. (DeclaredAction is null ? [] : new[] { DeclaredAction })];

    private Delegate? DeclaredAction { get; set; }

    private TargetDefinition SetAction(Delegate declared, Func<CancellationToken, Task> action)
    {
        if (Action is not null) throw new InvalidOperationException($"target {Name} declares Executes twice");
        (DeclaredAction, Action) = (declared, action);
        return this;
    }
}
