namespace Konvid.Targets;

/// <summary>The base of a build class (NUKE's NukeBuild): targets are its <see cref="Target"/> members, parameters its [Parameter] members.</summary>
public abstract class BuildBase
{
    /// <summary>The targets named on the command line, after parameter binding; lets defaults depend on them (Phase2 implies konvid-150k).</summary>
    public IReadOnlyList<string> InvokedTargets { get; internal set; } = [];

    /// <summary>The declared targets, set by the engine before any target runs.</summary>
    internal IReadOnlyList<TargetDefinition> Declared { get; set; } = [];

    private ParameterUsage? _usage;

    /// <summary>Set by the engine while a target's action runs: the files of a folder that target tracks.</summary>
    internal Func<string, TrackedFolder>? ListTracked { get; set; }

    internal ParameterUsage Usage => _usage ??= new ParameterUsage(GetType());

    /// <summary>Where .nuke/parameters.json is looked up.</summary>
    protected internal virtual string RootDirectory => Directory.GetCurrentDirectory();

    /// <summary>The file holding a target's recorded fingerprint; null keeps nothing (the target then always runs).</summary>
    protected internal abstract string? FingerprintFile(string target);

    /// <summary>Expected failures print as their message alone; anything else is a bug and prints its stack trace.</summary>
    protected internal virtual bool IsExpectedFailure(Exception exception) => false;

    /// <summary>Called once parameters are bound and before the first target runs (not for --help or --plan); disposed at the end.</summary>
    protected internal virtual IDisposable? BeginRun() => null;

    /// <summary>
    /// Lines printed under the summary table of a run (not for --help or --plan), e.g. the disk the run's output occupies;
    /// <paramref name="acted"/> tells whether any target's action ran (false for a no-op run); <paramref name="listed"/> holds
    /// the tracked folders whose listing is current, by full path, so a note about them need not list them again.
    /// </summary>
    protected internal virtual IEnumerable<string> SummaryNotes(bool acted, IReadOnlyDictionary<string, FolderSize> listed) => [];

    /// <summary>
    /// The files under <paramref name="folder"/>, which the running target tracks, as the engine listed them for the
    /// fingerprints: the listing its up-to-date check was made from, or the one an earlier target of this run left
    /// (refreshed by what that target declared it produced); listed now when none is current. A stage that needs
    /// every file's size and mtime reads this instead of listing the folder again: at KonViD-150k's size a listing is
    /// 150,000 stats. No files when the folder does not exist. Only for a target's action.
    /// </summary>
    protected TrackedFolder TrackedFiles(string folder) =>
        ListTracked?.Invoke(folder) ?? throw new InvalidOperationException($"TrackedFiles({folder}) is only for a target's action");

    /// <summary>
    /// Every parameter that <paramref name="target"/> and the targets it depends on read in their Keyed, Tracks and
    /// Executes (directly or through members of the build class), with its bound value, in declaration order: what a
    /// run of the same targets elsewhere (a cluster task) needs to decide and compute the same outputs.
    /// </summary>
    protected IReadOnlyList<ParameterValue> ParametersUsedBy(string target) =>
        ValuesOf(Usage.ReadBy(Planner.Order(Declared, [TargetDeclarations.Find(Declared, target)]).SelectMany(t => t.Code)));

    /// <summary>The parameters that <paramref name="code"/> reads, by command-line name, with their values as text.</summary>
    internal IReadOnlyList<(string Name, string? Value)> ParametersReadBy(IEnumerable<Delegate> code) =>
        ValuesOf(Usage.ReadBy(code)).Select(p => (p.CliName, ParameterSet.Format(p.Value))).ToList();

    private List<ParameterValue> ValuesOf(IReadOnlySet<string> members) =>
        ParameterSet.Members(GetType()).Where(m => members.Contains(m.Name))
            .Select(m => new ParameterValue(m.Name, ParameterSet.Kebab(m.Name), ParameterSet.Get(this, m)))
            .ToList();
}
