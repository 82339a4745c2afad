using Konvid.Core.Workspace;

namespace Konvid.Core.Verify;

/// <summary>How Verify runs: files hashed at once, and an optional manifest to check against instead of the corpus's own.</summary>
public sealed record VerifyOptions
{
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>A sha256sum-format file (paths "clips/..." or relative to clips/) that overrides manifest.sha256's expectations.</summary>
    public string? ExternalManifest { get; init; }

    /// <summary>Keep archives whose clips are all extracted and verified, instead of deleting them to save disk.</summary>
    public bool KeepArchives { get; init; }

    /// <summary>The files under clips/ as the build engine listed them for this run; null lists them here.</summary>
    public FolderFiles? ClipsListed { get; init; }
}
