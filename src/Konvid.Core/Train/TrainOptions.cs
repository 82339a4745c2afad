using Konvid.Core.Jsonl;

namespace Konvid.Core.Train;

/// <summary>Which gradient-boosting learner trains the head; Auto picks per seed on that seed's validation carve-out.</summary>
public enum MosLearner { Auto, LightGbm, FastTree }

/// <summary>
/// Parameters of a Train run. <see cref="Threads"/> 0 means all cores; results are deterministic for a given seed
/// and thread count. <see cref="CvFolds"/> below 2 skips the cross-validated PLCC. <see cref="MaxSkipped"/> is the
/// share of corpus rows Train may skip (unusable MOS or features) before it fails; null: no ceiling. Above <see cref="ChoiceRows"/> fit
/// rows the candidate learners are compared on a seed-drawn sample of that many.
/// </summary>
public sealed record TrainOptions(
    IReadOnlyList<int>? Seeds = null,
    double Holdout = 0.1,
    int Threads = 0,
    MosHyperParameters? HyperParameters = null,
    MosLearner Learner = MosLearner.Auto,
    int CvFolds = 10,
    double ValidationFraction = 0.15,
    LossCeiling? MaxSkipped = null,
    int ChoiceRows = 20_000)
{
    public static readonly IReadOnlyList<int> DefaultSeeds = [0, 1, 2, 3, 4];

    public IReadOnlyList<int> SeedList => Seeds ?? DefaultSeeds;

    public int ThreadCount => Threads > 0 ? Threads : Environment.ProcessorCount;

    public MosHyperParameters Hyper => HyperParameters ?? new MosHyperParameters();
}

/// <summary>
/// Shared by both learners. The two fractions are where the seed bites: each seed draws its own row bagging
/// (every tree sees <see cref="BaggingFraction"/> of the rows) and feature subsampling. <see cref="MaxBins"/> is the
/// number of histogram bins per feature.
/// </summary>
public sealed record MosHyperParameters(
    int Trees = 300,
    int Leaves = 31,
    int MinRowsPerLeaf = 10,
    double LearningRate = 0.05,
    double FeatureFraction = 0.8,
    double BaggingFraction = 0.8,
    int MaxBins = 255)
{
    /// <summary>Above these, a tree's histograms are built on a sample: see <see cref="AtScale"/>.</summary>
    public const int RowsPerTree = 40_000, FeaturesPerTree = 320, WideMaxBins = 63;

    /// <summary>
    /// The settings a fit on <paramref name="rows"/> x <paramref name="columns"/> uses. A tree costs about rows x features
    /// (histograms) plus leaves x features x bins (split search): at KonViD-150k with the CNN features (135,000 x 1,070)
    /// that is minutes per fit. So each tree sees at most <see cref="RowsPerTree"/> rows and <see cref="FeaturesPerTree"/>
    /// features, both drawn by the seed (bagging and feature fractions lowered, never raised), and wide inputs get
    /// <see cref="WideMaxBins"/> bins. Corpora under both sizes train exactly as configured.
    /// </summary>
    public MosHyperParameters AtScale(int rows, int columns) => this with
    {
        BaggingFraction = Math.Min(BaggingFraction, Math.Round((double)RowsPerTree / Math.Max(1, rows), 3)),
        FeatureFraction = Math.Min(FeatureFraction, Math.Round((double)FeaturesPerTree / Math.Max(1, columns), 3)),
        MaxBins = columns > FeaturesPerTree ? Math.Min(MaxBins, WideMaxBins) : MaxBins,
    };
}
