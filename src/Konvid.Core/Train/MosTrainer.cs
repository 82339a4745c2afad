using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Konvid.Core.Train;

/// <summary>Fits mos_regressor_v1 (one learner, one seed) on rows of the matrix: the trees with ML.NET, the kernel head with <see cref="KernelTrainer"/>.</summary>
internal static class MosTrainer
{
    public const string SeedChanges =
        "the seed drives MLContext, the learner's random generator (row bagging: each tree sees bagging_fraction of the rows; " +
        "feature subsampling: feature_fraction of the features) and the validation carve-out (clips whose SHA-256('seed<N>\\n' + src) " +
        "falls below validation_fraction) on which the learner is chosen; for the kernel learner it draws the random Fourier directions and phases, " +
        "the inner folds that choose its bandwidth, ridge and number of random features, and the subsample it fits above its row limit";

    /// <summary>One concrete learner fitted on rows; a kernel head reuses <paramref name="kernelChoice"/> when given instead of searching again.</summary>
    public static IMosHead FitHead(CorpusMatrix matrix, int[] rows, MosLearner learner, TrainOptions options, int seed, CancellationToken ct,
        KernelChoice? kernelChoice = null) =>
        learner == MosLearner.Kernel
            ? new KernelRidgeHead(KernelTrainer.Fit(matrix, rows, seed, options.Kernel, ct, kernelChoice))
            : new TreesHead(FitAtScale(matrix, rows, learner, options.Hyper, seed, options.ThreadCount, ct), learner);

    /// <summary>Above this many training values (rows x features) FastTree is no candidate: see <see cref="FastTreeLimit"/>.</summary>
    public const long FastTreeMaxValues = 20_000_000;

    public const string FastTreeLimit =
        "FastTree is a candidate up to 20,000,000 training values: ML.NET's FastTree transposes and bins the whole matrix in managed code, " +
        "12 CPU s for one fit at 4,500 x 1,068 (more than LightGBM needs at 18,000 x 1,068), minutes per fit at KonViD-150k size with the CNN features";

    /// <summary>The learners Auto chooses among for a fit on <paramref name="rows"/> x <paramref name="columns"/>.</summary>
    public static IReadOnlyList<MosLearner> Candidates(int rows, int columns) =>
        (long)rows * columns <= FastTreeMaxValues ? [MosLearner.LightGbm, MosLearner.FastTree] : [MosLearner.LightGbm];

    public static ITransformer Fit(CorpusMatrix matrix, int[] rows, MosLearner learner, MosHyperParameters hp, int seed, int threads, CancellationToken ct)
    {
        var ml = new MLContext(seed);
        // ML.NET 5 offers no public cancellation inside Fit: the token is honoured between fits.
        ct.ThrowIfCancellationRequested();
        var data = new MatrixDataView(matrix, rows);
        IEstimator<ITransformer> estimator = learner switch
        {
            MosLearner.LightGbm => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                NumberOfIterations = hp.Trees,
                NumberOfLeaves = hp.Leaves,
                MinimumExampleCountPerLeaf = hp.MinRowsPerLeaf,
                LearningRate = hp.LearningRate,
                MaximumBinCountPerFeature = hp.MaxBins,
                Seed = seed,
                NumberOfThreads = threads,
                Silent = true,
                Verbose = false,
                Booster = new GradientBooster.Options
                {
                    SubsampleFraction = hp.BaggingFraction,
                    SubsampleFrequency = hp.BaggingFraction < 1 ? 1 : 0,
                    FeatureFraction = hp.FeatureFraction,
                },
            }),
            MosLearner.FastTree => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                NumberOfTrees = hp.Trees,
                NumberOfLeaves = hp.Leaves,
                MinimumExampleCountPerLeaf = hp.MinRowsPerLeaf,
                LearningRate = hp.LearningRate,
                FeatureFraction = hp.FeatureFraction,
                BaggingSize = hp.BaggingFraction < 1 ? 1 : 0,
                BaggingExampleFraction = hp.BaggingFraction,
                MaximumBinCountPerFeature = hp.MaxBins,
                Seed = seed,
                FeatureSelectionSeed = seed,
                NumberOfThreads = threads,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(learner), learner, "fit needs a concrete learner"),
        };
        var model = estimator.Fit(data);
        if ((long)rows.Length * matrix.Columns >= LargeFitValues) ReleaseFitGarbage();
        return model;
    }

    /// <summary>Fits of at least this many training values (rows x features) release their garbage before the next one starts.</summary>
    private const long LargeFitValues = 20_000_000;

    /// <summary>
    /// ML.NET copies the training rows into large arrays on every fit (about 880 MB at 135,000 x 1,070). Without memory
    /// pressure the workstation GC leaves them to pile up across Train's fits: the 150,000-row default recipe peaked at
    /// +6 GB resident where one fit needs about +1.2 GB. A blocking full collection after such a fit costs well under a
    /// second next to the fit's tens of seconds.
    /// </summary>
    private static void ReleaseFitGarbage() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);

    /// <summary>Fits with the settings of <see cref="MosHyperParameters.AtScale"/> for these rows and the matrix's width.</summary>
    public static ITransformer FitAtScale(CorpusMatrix matrix, int[] rows, MosLearner learner, MosHyperParameters hp, int seed, int threads, CancellationToken ct) =>
        Fit(matrix, rows, learner, hp.AtScale(rows.Length, matrix.Columns), seed, threads, ct);

    /// <summary>
    /// The recipe of a fitted head on other rows: the same learner, the kernel's chosen hyper-parameters and a blend's
    /// weights, fitted again (what cross-validation measures).
    /// </summary>
    public static IMosHead Refit(IMosHead recipe, CorpusMatrix matrix, int[] rows, TrainOptions options, int seed, CancellationToken ct) => recipe switch
    {
        BlendHead blend => blend with
        {
            Trees = (TreesHead)Refit(blend.Trees, matrix, rows, options, seed, ct),
            Kernel = (KernelRidgeHead)Refit(blend.Kernel, matrix, rows, options, seed, ct),
        },
        KernelRidgeHead kernel => FitHead(matrix, rows, MosLearner.Kernel, options, seed, ct, kernel.Head.Choice),
        _ => FitHead(matrix, rows, recipe.Learner, options, seed, ct),
    };

    /// <summary>ML.NET's own (unclamped) predictions for rows, in order.</summary>
    public static float[] Predict(ITransformer model, CorpusMatrix matrix, int[] rows) =>
        model.Transform(new MatrixDataView(matrix, rows, label: false)).GetColumn<float>("Score").ToArray();

    public static IReadOnlyDictionary<string, double> Describe(IMosHead head, MosHyperParameters hp, int seed)
    {
        var described = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["seed"] = seed };
        switch (head)
        {
            case BlendHead blend:
                foreach (var (key, value) in Describe(blend.Trees, hp, seed).Where(kv => kv.Key != "seed")) described[$"trees_{key}"] = value;
                foreach (var (key, value) in Describe(blend.Kernel, hp, seed).Where(kv => kv.Key != "seed")) described[$"kernel_{key}"] = value;
                described["blend_tree_weight"] = blend.TreeWeight;
                described["blend_kernel_weight"] = blend.KernelWeight;
                break;
            case KernelRidgeHead { Head: var kernel }:
                described["bandwidth"] = kernel.Choice.Bandwidth;
                described["ridge"] = kernel.Choice.Ridge;
                described["random_features"] = kernel.Choice.Components;
                if (double.IsFinite(kernel.Choice.Clip)) described["standardised_clip"] = kernel.Choice.Clip;
                described["inner_validation_rmse"] = kernel.Choice.InnerRmse;
                described["inner_folds"] = kernel.Choice.InnerFolds;
                described["inner_candidates"] = kernel.Choice.Candidates;
                described["fit_rows"] = kernel.FitRows;
                break;
            default:
                described["trees"] = hp.Trees;
                described["leaves"] = hp.Leaves;
                described["min_rows_per_leaf"] = hp.MinRowsPerLeaf;
                described["learning_rate"] = hp.LearningRate;
                described["feature_fraction"] = hp.FeatureFraction;
                described["bagging_fraction"] = hp.BaggingFraction;
                described["bagging_frequency"] = hp.BaggingFraction < 1 ? 1 : 0;
                described["max_bins"] = hp.MaxBins;
                break;
        }
        return described;
    }
}
