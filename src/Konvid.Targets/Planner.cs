namespace Konvid.Targets;

/// <summary>Orders the invoked targets and everything they depend on so every target runs after its dependencies.</summary>
internal static class Planner
{
    /// <summary>The plan for a command line: its targets in order, with --skip (alone: every dependency) and --force applied.</summary>
    public static BuildPlan Plan(IReadOnlyList<TargetDefinition> declared, CommandLine line)
    {
        var invoked = line.Targets.Select(name => TargetDeclarations.Find(declared, name)).ToHashSet();
        var order = Order(declared, invoked.ToList());
        var skipped = line.Skip switch
        {
            null => [],
            { Count: 0 } => order.Where(t => !invoked.Contains(t)).ToHashSet(),
            var names => names.Select(name => TargetDeclarations.Find(declared, name)).ToHashSet(),
        };
        return new BuildPlan(order, invoked, skipped, line.Force ? invoked : []);
    }

    /// <param name="declared">All targets in declaration order, which breaks ties so plans are stable.</param>
    public static IReadOnlyList<TargetDefinition> Order(IReadOnlyList<TargetDefinition> declared, IReadOnlyList<TargetDefinition> invoked)
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
