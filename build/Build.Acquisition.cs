using Konvid.Core.Download;
using Konvid.Core.Verify;
using Konvid.Targets;

namespace Konvid.Build;

partial class Build
{
    [Parameter("Retry sources recorded as permanently failed (404/410)")]
    bool RetryFailed;

    [Parameter("An external manifest.sha256 to verify against")]
    string? Manifest;

    [Parameter("Keep downloaded archives once their clips are extracted and verified (by default they are deleted to save disk)")]
    bool KeepArchives;

    DownloadReport? Downloaded;

    VerifyReport? Verified;

    Target Download => _ => _
        .Description("Fetch the corpus archives, score files and clips (resume, retry, attrition ledger)")
        .Version("download-format", Downloader.FormatVersion)
        .Keyed(() => [CorpusName, Mirror, RetryFailed, CorpusName == "sample" ? SampleSize : null, .. Catalog.Sources])
        .Tracks(() => [Layout.Clips, Layout.Metadata, Layout.DownloadProgress])
        .Produces(() => Downloaded!.Changed(Layout))
        .Executes(async ct => Downloaded = await Downloader.RunAsync(Layout, Catalog,
            new DownloadOptions { Mirror = await MirrorAsync(ct), Jobs = Jobs, RetryFailed = RetryFailed, ClipsListed = Listed(Layout.Clips) }, Progress, ct));

    Target Verify => _ => _
        .Description("Hash every clip into manifest.sha256; quarantine mismatches for re-download; delete archives whose clips are all verified")
        .DependsOn(Download)
        .Version("manifest-format", Verifier.FormatVersion)
        .Keyed(() => [Manifest, KeepArchives])
        .Tracks(() => [Layout.Clips, Layout.Manifest])
        .Produces(() => Verified!.Changed(Layout))
        .Executes(async ct => Verified = await Verifier.RunAsync(Layout, new VerifyOptions { Jobs = Jobs, ExternalManifest = Manifest, KeepArchives = KeepArchives, ClipsListed = Listed(Layout.Clips) }, Progress, ct));
}
