namespace Konvid.Targets;

/// <summary>A parameter's bound value, and the command-line words that pass the same value to another run of the build.</summary>
public sealed record ParameterValue(string Member, string CliName, object? Value)
{
    /// <summary><c>--name value</c>; nothing for an unset (null) value, which the other run then takes from its own defaults.</summary>
    public IReadOnlyList<string> Arguments => Value is null ? [] : [$"--{CliName}", ParameterSet.Format(Value) ?? ""];
}
