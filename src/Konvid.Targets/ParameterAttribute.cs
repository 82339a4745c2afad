namespace Konvid.Targets;

/// <summary>
/// Marks a member of the build class as a parameter: <c>--kebab-case</c> on the command line, <c>KONVID_UPPER_SNAKE</c>
/// in the environment, its member name in .nuke/parameters.json, else the member's initial value.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}
