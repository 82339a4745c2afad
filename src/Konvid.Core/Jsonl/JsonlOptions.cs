namespace Konvid.Core.Jsonl;

/// <summary>
/// Parameters of the Jsonl target. <see cref="CorpusVersion"/> overrides the catalog's version (--corpus-version);
/// <see cref="Deep"/> picks the feature cache with CNN features (--deep-features); <see cref="AllowPartial"/> writes
/// the corpus even when clips are neither featurised nor in attrition (a missing shard), recording them as losses;
/// <see cref="IngestedAt"/> is the run's one timestamp (now when null); <see cref="MaxLoss"/> replaces the catalog's
/// loss ceiling, in percent (--max-loss); <see cref="FeaturesListed"/> is the feature cache's files as the build engine
/// listed them for this run (null lists them here).
/// </summary>
public sealed record JsonlOptions(
    string? CorpusVersion = null,
    bool Deep = true,
    bool AllowPartial = false,
    bool IgnoreLabelGuard = false,
    DateTimeOffset? IngestedAt = null,
    double? MaxLoss = null,
    Konvid.Core.Workspace.FolderFiles? FeaturesListed = null);
