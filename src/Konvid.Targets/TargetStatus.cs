namespace Konvid.Targets;

public enum TargetStatus { Done, UpToDate, Skipped, Failed }

/// <summary>One row of the summary table.</summary>
public sealed record TargetOutcome(string Name, TargetStatus Status, TimeSpan Duration, string? Note = null);
