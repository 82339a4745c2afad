using System.Reflection;

namespace Konvid.Targets;

/// <summary>Reads a build class's <see cref="Target"/> members into definitions, dependencies resolved.</summary>
internal static class TargetDeclarations
{
    /// <summary>Evaluates every Target member once, so dependencies refer to the same definitions.</summary>
    public static IReadOnlyList<TargetDefinition> Declare(BuildBase build)
    {
        var properties = build.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType == typeof(Target))
            .OrderBy(p => p.MetadataToken)
            .ToList();
        var declared = new List<TargetDefinition>();
        var byDelegate = new Dictionary<Target, TargetDefinition>(new TargetComparer());
        foreach (var property in properties)
        {
            var definition = new TargetDefinition(property.Name);
            var target = (Target)property.GetValue(build)!;
            target(definition);
            declared.Add(definition);
            byDelegate[target] = definition;
        }
        foreach (var definition in declared)
            definition.Dependencies = definition.DeclaredDependencies.Select(d => byDelegate[d]).ToList();
        return declared;
    }

    public static TargetDefinition Find(IReadOnlyList<TargetDefinition> declared, string name) =>
        declared.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new BuildUsageException($"unknown target '{name}'; targets: {string.Join(", ", declared.Select(t => t.Name))}");

    /// <summary>
    /// Expression-bodied Target members return a new delegate on every read; two delegates denote the same target
    /// when they come from the same lambda (same method), which is what this compares.
    /// </summary>
    private sealed class TargetComparer : IEqualityComparer<Target>
    {
        public bool Equals(Target? x, Target? y) => x?.Method == y?.Method;

        public int GetHashCode(Target obj) => obj.Method.GetHashCode();
    }
}
