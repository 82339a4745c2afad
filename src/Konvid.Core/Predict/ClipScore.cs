namespace Konvid.Core.Predict;

/// <summary>
/// One clip's row of a Predict batch: its path and content hash, the model that scored it, and either the MOS (mean
/// over seeds, and each seed's) or the one-line error that stopped it.
/// </summary>
public sealed record ClipScore(string Path, string? Sha256, string Model, double? Mos, IReadOnlyList<(int Seed, double Mos)> PerSeed, string? Error)
{
    public bool Ok => Error is null;
}
