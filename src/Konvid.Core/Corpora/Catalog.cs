namespace Konvid.Core.Corpora;

/// <summary>One corpus as declared in corpora/&lt;name&gt;.yaml.</summary>
public sealed record Catalog(
    string Name,
    string Version,
    string Licence,
    string LandingPage,
    IReadOnlyList<CatalogSource> Sources,
    IReadOnlyList<ScoreFile> Scores,
    LabelGuard Labels,
    GateThresholds Gate,
    string? RegistryDir);

/// <summary>What a source is: an archive to unpack, a single file, or a per-clip URL list.</summary>
public enum SourceKind { Archive, File, ClipList }

/// <summary>
/// A file to fetch. <see cref="UnpackTo"/> (archives) and <see cref="SaveAs"/> (files) are relative to the corpus
/// folder; the loader refuses any that would escape it.
/// </summary>
public sealed record CatalogSource(string Name, string Url, SourceKind Kind, string? UnpackTo, string? SaveAs, string? Sha256, bool Optional);

/// <summary>A score file (relative to the corpus folder) and its layout; "auto" sniffs the header.</summary>
public sealed record ScoreFile(string Path, string Layout, string? Votes);

/// <summary>The size range of a plausible score file, to catch a KoNViD-1k run fed KonViD-150k's labels and vice versa.</summary>
public sealed record LabelGuard(int Min, int Max);

public sealed record GateThresholds(double PlccMin, double SroccMin, double RmseMax, double PlccSpreadMax);
