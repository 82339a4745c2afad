namespace Konvid.Targets;

/// <summary>Orders the invoked targets and everything they depend on so every target runs after its dependencies.</summary>
internal static class Planner
{
    /// <param name="declared">All targets in declaration order, which breaks ties so plans are stable.</param>
    public static IReadOnlyList<TargetDefinition> Plan(IReadOnlyList<TargetDefinition> declared, IReadOnlyList<TargetDefinition> invoked)
    {
        var order = declared.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var plan = new List<TargetDefinition>();
        var done = new HashSet<TargetDefinition>();
        var path = new List<TargetDefinition>();

        foreach (var target in invoked.OrderBy(t => order[t]))
            Visit(target);
        return plan;

        void Visit(TargetDefinition target)
        {
            if (done.Contains(target)) return;
            var at = path.IndexOf(target);
            if (at >= 0)
                throw new BuildUsageException("dependency cycle: " + string.Join(" -> ", path.Skip(at).Append(target).Select(t => t.Name)));
            path.Add(target);
            foreach (var dependency in target.Dependencies.OrderBy(d => order[d]))
                Visit(dependency);
            path.RemoveAt(path.Count - 1);
            done.Add(target);
            plan.Add(target);
        }
    }
}
