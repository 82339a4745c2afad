namespace Konvid.Targets;

/// <summary>What --plan prints for each planned target: skip, up to date, or will run.</summary>
internal static class PlanPreview
{
    public static IReadOnlyList<(TargetDefinition Target, string Status)> Predict(BuildBase build, BuildPlan plan)
    {
        var predicted = new Dictionary<TargetDefinition, string>();
        var willRun = new HashSet<TargetDefinition>();
        var lines = new List<(TargetDefinition, string)>();
        foreach (var t in plan.Order)
        {
            var print = predicted[t] = Fingerprint.Compute(t, t.Dependencies.Select(d => predicted[d]));
            string status;
            if (plan.Skipped.Contains(t)) status = "skip";
            else if (plan.Forced.Contains(t) || t.Dependencies.Any(willRun.Contains) || !Fingerprint.IsRecorded(build, t, print))
            {
                willRun.Add(t);
                status = "will run";
            }
            else status = "up to date";
            lines.Add((t, status));
        }
        return lines;
    }
}
