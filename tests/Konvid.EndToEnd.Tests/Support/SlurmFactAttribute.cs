namespace Konvid.EndToEnd.Tests.Support;

/// <summary>
/// A fact that needs the real Slurm test cluster: skipped, with the reason shown, where it cannot run (not root,
/// packages missing); in CI it always runs, so a missing package fails instead of passing silently.
/// xunit 2 has no dynamic skip, hence the reason is decided when the attribute is built.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (SlurmCluster.UnavailableReason is { } reason) Skip = $"Slurm test cluster unavailable: {reason} (with CI=true this test runs and fails instead)";
    }
}
