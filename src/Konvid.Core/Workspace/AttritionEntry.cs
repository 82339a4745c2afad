namespace Konvid.Core.Workspace;

/// <summary>A label or clip that did not become a corpus row: which one, at which stage, and why.</summary>
public sealed record AttritionEntry(string Id, Stage Stage, string Reason);
