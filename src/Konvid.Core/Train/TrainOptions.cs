using Konvid.Core.Jsonl;

namespace Konvid.Core.Train;

/// <summary>Which gradient-boosting learner trains the head; Auto picks per seed on that seed's validation carve-out.</summary>
public enum MosLearner { Auto, LightGbm, FastTree }

/// <summary>
/// Parameters of a Train run. <see cref="Threads"/> 0 means all cores; results are deterministic for a given seed
/// and thread count. <see cref="CvFolds"/> below 2 skips the cross-validated PLCC. <see cref="MaxSkipped"/> is the
/// share of corpus rows Train may skip (unusable MOS or features) before it fails; null: no ceiling.
/// </summary>
public sealed record TrainOptions(
    IReadOnlyList<int>? Seeds = null,
    double Holdout = 0.1,
    int Threads = 0,
    MosHyperParameters? HyperParameters = null,
    MosLearner Learner = MosLearner.Auto,
    int CvFolds = 10,
    double ValidationFraction = 0.15,
    LossCeiling? MaxSkipped = null)
{
    public static readonly IReadOnlyList<int> DefaultSeeds = [0, 1, 2, 3, 4];

    public IReadOnlyList<int> SeedList => Seeds ?? DefaultSeeds;

    public int ThreadCount => Threads > 0 ? Threads : Environment.ProcessorCount;

    public MosHyperParameters Hyper => HyperParameters ?? new MosHyperParameters();
}

/// <summary>
/// Shared by both learners. The two fractions are where the seed bites: each seed draws its own row bagging
/// (every tree sees <see cref="BaggingFraction"/> of the rows) and feature subsampling.
/// </summary>
public sealed record MosHyperParameters(
    int Trees = 300,
    int Leaves = 31,
    int MinRowsPerLeaf = 10,
    double LearningRate = 0.05,
    double FeatureFraction = 0.8,
    double BaggingFraction = 0.8);
