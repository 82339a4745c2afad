using Konvid.Targets;

namespace Konvid.Build;

partial class Build
{
    [Parameter("Retry sources recorded as permanently failed (404/410)")]
    bool RetryFailed;

    [Parameter("An external manifest.sha256 to verify against")]
    string? Manifest;

    Target Download => _ => _
        .Description("Fetch the corpus archives, score files and clips (resume, retry, attrition ledger)")
        .Executes(() => throw NotYet("Download"));

    Target Verify => _ => _
        .Description("Hash every clip into manifest.sha256; quarantine mismatches for re-download")
        .DependsOn(Download)
        .Executes(() => throw NotYet("Verify"));
}
