namespace Konvid.Targets;

/// <summary>
/// Why a target runs, in words: never ran, forced, a code version, a parameter or key value, a tracked file, a
/// dependency. The same text goes into --plan and onto the line that starts the target.
/// </summary>
internal static class RunReasons
{
    private const int MaxListed = 3;

    /// <param name="rerunning">Dependencies that run (or ran) in this build.</param>
    /// <param name="root">Tracked paths under it are shown relative to it.</param>
    public static string Explain(TargetDefinition target, Fingerprint? current, FingerprintRecord.Recorded? recorded, bool forced,
        IReadOnlySet<string> rerunning, string root)
    {
        var reasons = new List<string>();
        if (forced) reasons.Add("forced (--force)");
        if (current is null) reasons.Add(target.Action is null ? "groups its dependencies (runs nothing itself)" : "always runs (declares no inputs)");
        else if (recorded is null) reasons.Add("never ran");
        else if (recorded.Hash != current.Hash)
        {
            if (recorded.Components is { } old) reasons.AddRange(Differences(old, current, rerunning, root));
            else reasons.Add("recorded by an older Konvid (fingerprint without components)");
        }
        reasons.AddRange(target.Dependencies.Where(d => rerunning.Contains(d.Name)).Select(d => $"dependency {d.Name} re-runs"));
        return reasons.Count > 0 ? string.Join("; ", reasons.Distinct()) : "fingerprint changed";
    }

    private static IEnumerable<string> Differences(Fingerprint old, Fingerprint now, IReadOnlySet<string> rerunning, string root)
    {
        foreach (var name in old.Versions.Select(v => v.Name).Union(now.Versions.Select(v => v.Name)))
        {
            var (before, after) = (Find(old.Versions, name), Find(now.Versions, name));
            if (before != after) yield return $"code version {name} changed ({before ?? "none"} -> {after ?? "none"})";
        }

        if (!old.Keys.SequenceEqual(now.Keys))
        {
            // The keys are values; the parameters they read give the change a name. Without one (a catalog value) the
            // changed values themselves are shown.
            var parameters = now.Parameters.Where(p => old.Parameters.Any(o => o.Name == p.Name && o.Value != p.Value)).ToList();
            if (parameters.Count > 0)
                foreach (var (name, value) in parameters)
                    yield return $"parameter --{name} changed ({Show(Find(old.Parameters, name))} -> {Show(value)})";
            else
                foreach (var i in Enumerable.Range(0, Math.Max(old.Keys.Count, now.Keys.Count))
                             .Where(i => At(old.Keys, i) != At(now.Keys, i)).Take(MaxListed))
                    yield return $"key value changed ({Show(At(old.Keys, i))} -> {Show(At(now.Keys, i))})";
        }

        var files = now.Files.Where(f => Find(old.Files, f.Path) != f.State).Select(f => (f.Path, f.State))
            .Concat(old.Files.Where(f => Find(now.Files, f.Path) is null).Select(f => (f.Path, State: "no longer tracked"))).ToList();
        foreach (var (path, state) in files.Take(MaxListed))
            yield return state == Fingerprint.Missing ? $"tracked file {Relative(path, root)} is missing" : $"tracked file {Relative(path, root)} changed";
        if (files.Count > MaxListed) yield return $"{files.Count - MaxListed} more tracked files changed";

        foreach (var (name, hash) in now.Dependencies)
            if (!rerunning.Contains(name) && Find(old.Dependencies, name) != hash)
                yield return $"dependency {name} changed";
    }

    private static string? Find<T>(IEnumerable<(string Name, T Value)> pairs, string name) where T : class? =>
        pairs.FirstOrDefault(p => p.Name == name).Value as string;

    private static string? At(IReadOnlyList<string?> keys, int i) => i < keys.Count ? keys[i] : null;

    private static string Show(string? value) => value is null ? "unset" : value.Length <= 60 ? value : value[..57] + "...";

    private static string Relative(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
