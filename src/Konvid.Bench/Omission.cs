namespace Konvid.Bench;

/// <summary>A row that could not be measured in this run, and why: never a made-up figure in its place.</summary>
public sealed record Omission(string Row, string Reason);
