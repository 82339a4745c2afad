namespace Konvid.Core.Predict;

/// <summary>The MOS of one clip: the mean over the registered seeds, and each seed's own value.</summary>
public sealed record Prediction(double Mos, IReadOnlyList<(int Seed, double Mos)> PerSeed);
