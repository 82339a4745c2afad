namespace Konvid.Targets;

/// <summary>
/// What --plan prints for each planned target: skip, up to date, or will run and why. A target runs when its own
/// fingerprint changed or when a dependency runs before it.
/// </summary>
internal static class PlanPreview
{
    public static IReadOnlyList<(TargetDefinition Target, string Status)> Predict(BuildBase build, BuildPlan plan)
    {
        var predicted = new Dictionary<TargetDefinition, string>();
        var folders = new FolderStates();
        var willRun = new HashSet<string>();
        var lines = new List<(TargetDefinition, string)>();
        foreach (var target in plan.Order)
        {
            if (plan.Skipped.Contains(target))
            {
                predicted[target] = Executor.SkippedHash(build, target, d => predicted[d], folders);
                lines.Add((target, "skip"));
                continue;
            }
            var print = Fingerprint.Compute(build, target, d => predicted[d], folders);
            predicted[target] = print.Hash;
            var file = target.IsIncremental ? build.FingerprintFile(target.Name) : null;
            var recorded = file is not null ? FingerprintRecord.Read(file) : null;
            var forced = plan.Forced.Contains(target);
            var upstream = target.Dependencies.Any(d => willRun.Contains(d.Name));
            if (target.IsIncremental && !forced && !upstream && recorded?.Hash == print.Hash)
            {
                lines.Add((target, "up to date"));
                continue;
            }
            willRun.Add(target.Name);
            lines.Add((target, "will run: " + RunReasons.Explain(target, target.IsIncremental ? print : null, recorded, forced, willRun, build.RootDirectory)));
        }
        return lines;
    }
}
