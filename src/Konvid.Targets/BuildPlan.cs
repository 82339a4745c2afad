namespace Konvid.Targets;

/// <summary>
/// What a command line asks for: the targets in run order (the invoked ones and everything they depend on), which of
/// them --skip skips and which --force runs even when up to date.
/// </summary>
internal sealed record BuildPlan(
    IReadOnlyList<TargetDefinition> Order,
    IReadOnlySet<TargetDefinition> Invoked,
    IReadOnlySet<TargetDefinition> Skipped,
    IReadOnlySet<TargetDefinition> Forced);
