using System.Diagnostics;

namespace Konvid.Targets;

/// <summary>
/// Runs a plan in order: skips what --skip names and what is up to date, runs the rest (saying why), records each
/// finished target's fingerprint, and stops the dependents of a failed target. Returns one outcome per planned target.
/// </summary>
internal sealed class Executor(BuildBase build, BuildConsole console, CancellationToken ct)
{
    private readonly Dictionary<TargetDefinition, string> _hashes = [];
    private readonly HashSet<TargetDefinition> _failed = [];
    private readonly HashSet<string> _ran = [];
    private readonly FolderStates _folders = new();

    /// <summary>The tracked folders listed since the last action that could have changed them, with their sizes.</summary>
    public IReadOnlyDictionary<string, FolderSize> ListedFolders => _folders.Sizes;

    public bool Cancelled { get; private set; }

    /// <summary>Whether any target's action ran (false for a no-op run).</summary>
    public bool Acted { get; private set; }

    public async Task<IReadOnlyList<TargetOutcome>> RunAsync(BuildPlan plan)
    {
        var outcomes = new List<TargetOutcome>();
        foreach (var target in plan.Order)
            outcomes.Add(await RunAsync(target, plan));
        return outcomes;
    }

    private async Task<TargetOutcome> RunAsync(TargetDefinition target, BuildPlan plan)
    {
        var blocker = target.Dependencies.FirstOrDefault(_failed.Contains);
        if (blocker is not null || ct.IsCancellationRequested)
        {
            _failed.Add(target);
            Cancelled |= blocker is null;
            return new(target.Name, TargetStatus.Skipped, TimeSpan.Zero, blocker is null ? "cancelled" : $"{blocker.Name} did not succeed");
        }
        var clock = Stopwatch.StartNew();
        try
        {
            if (plan.Skipped.Contains(target))
            {
                _hashes[target] = SkippedHash(build, target, d => _hashes[d], _folders);
                return new(target.Name, TargetStatus.Skipped, TimeSpan.Zero, "--skip");
            }
            // Fingerprints evaluate the target's keys (catalog, parameters): a bad one fails this target, not the engine.
            var recordFile = build.FingerprintFile(target.Name);
            var recorded = target.IsIncremental && recordFile is not null ? FingerprintRecord.Read(recordFile) : null;
            // A dependency whose hash moved since the recorded run makes this target run whatever its folders hold.
            var unlisted = recorded?.Components is { } then && target.Dependencies.Any(d => then.Dependencies.FirstOrDefault(r => r.Name == d.Name).Hash != _hashes[d])
                ? then.Files
                : null;
            var before = target.IsIncremental ? Fingerprint.Compute(build, target, d => _hashes[d], _folders, unlisted) : null;
            var forced = plan.Forced.Contains(target);
            if (before is not null && !forced && recorded?.Hash == before.Hash)
            {
                _hashes[target] = before.Hash;
                return new(target.Name, TargetStatus.UpToDate, TimeSpan.Zero);
            }

            console.TargetStarts(target.Name, RunReasons.Explain(target, before, recorded, forced, _ran, build.RootDirectory));
            clock.Restart();
            // A stale record must not survive a run that dies half-way.
            if (recordFile is not null && File.Exists(recordFile)) File.Delete(recordFile);
            try
            {
                if (target.Action is not null)
                {
                    Acted = true;
                    build.ListTracked = folder => TrackedFiles(target, folder);
                    await target.Action(ct);
                }
            }
            catch
            {
                _folders.Forget();
                throw;
            }
            finally
            {
                build.ListTracked = null;
            }
            // What the action produced is asked after it ran, so a target can name only what this run changed. A target
            // without an action (a group such as Phase2) changed nothing, so the listings stay for the summary's disk line.
            if (target.Action is not null && target.ProducedPaths.Count == 0) _folders.Forget();
            else if (target.Action is not null) _folders.TakeIn(target.ProducedPaths.SelectMany(p => p()));
            ct.ThrowIfCancellationRequested();
            var after = Fingerprint.Compute(build, target, d => _hashes[d], _folders);
            _hashes[target] = after.Hash;
            if (target.IsIncremental && recordFile is not null) FingerprintRecord.Write(recordFile, after);
            _ran.Add(target.Name);
            return new(target.Name, TargetStatus.Done, clock.Elapsed);
        }
        catch (Exception e)
        {
            _failed.Add(target);
            var cancelled = e is OperationCanceledException && ct.IsCancellationRequested;
            Cancelled |= cancelled;
            if (cancelled) console.TargetCancelled(target.Name);
            else console.TargetFailed(target.Name, e, build.IsExpectedFailure(e));
            return new(target.Name, TargetStatus.Failed, clock.Elapsed, cancelled ? "cancelled" : e.Message.Split('\n')[0]);
        }
    }

    /// <summary>What <see cref="BuildBase.TrackedFiles"/> answers: a folder the target does not track would be read without being part of its fingerprint.</summary>
    private TrackedFolder TrackedFiles(TargetDefinition target, string folder)
    {
        var path = Path.GetFullPath(folder);
        if (!target.TrackedPaths.SelectMany(p => p()).Select(Path.GetFullPath).Contains(path, StringComparer.Ordinal))
            throw new InvalidOperationException($"{target.Name} reads the listing of {folder}, which it does not track (add it to Tracks)");
        return Directory.Exists(path) ? _folders.Files(path) : new TrackedFolder(path, DateTime.UtcNow.Ticks, []);
    }

    /// <summary>
    /// A skipped target's inputs may be unreadable here (e.g. a cluster task without the corpus catalog); its
    /// dependents then key on the skip itself.
    /// </summary>
    public static string SkippedHash(BuildBase build, TargetDefinition target, Func<TargetDefinition, string> dependencyHashes, FolderStates folders)
    {
        try { return Fingerprint.Compute(build, target, dependencyHashes, folders).Hash; }
        catch (Exception e) when (build.IsExpectedFailure(e)) { return $"skipped:{target.Name}"; }
    }
}
