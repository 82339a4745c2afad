namespace Konvid.Targets;

/// <summary>The base of a build class (NUKE's NukeBuild): targets are its <see cref="Target"/> members, parameters its [Parameter] members.</summary>
public abstract class BuildBase
{
    /// <summary>The targets named on the command line, after parameter binding; lets defaults depend on them (Phase2 implies konvid-150k).</summary>
    public IReadOnlyList<string> InvokedTargets { get; internal set; } = [];

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
    /// <paramref name="acted"/> tells whether any target's action ran (false for a no-op run).
    /// </summary>
    protected internal virtual IEnumerable<string> SummaryNotes(bool acted) => [];
}
