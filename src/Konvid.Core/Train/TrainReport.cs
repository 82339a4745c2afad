namespace Konvid.Core.Train;

/// <summary>What Train did: the corpus it read, one entry per seed, the seeds' mean prediction, the cross-validated PLCC, and where the time went.</summary>
public sealed record TrainReport(
    int Rows,
    int Features,
    int TrainRows,
    int HeldOutRows,
    int SkippedRows,
    IReadOnlyList<SeedReport> Seeds,
    ModelMetrics Ensemble,
    CrossValidation? CrossValidation,
    string ModelsDir,
    TimeSpan Elapsed,
    TrainTimings Timings);

/// <summary>
/// One seed's head: the learner chosen, held-out metrics of the exported ONNX under ONNX Runtime, and the largest
/// difference between those predictions and ML.NET's in-memory ones (clamped to [1, 5]) on the held-out rows.
/// </summary>
public sealed record SeedReport(int Seed, string Trainer, ModelMetrics Metrics, double OnnxMaxAbsDiff, string OnnxPath, string OnnxSha256);

/// <summary>
/// k-fold PLCC of the recipe (first seed's learner and hyper-parameters) over every row, folds by clip-id hash;
/// <see cref="PooledPlcc"/> is over all out-of-fold predictions at once. In-memory ML.NET predictions (the ONNX
/// export is proven equal to them within 1e-4). <see cref="JsonlSha256"/> ties it to the corpus it was measured on.
/// </summary>
public sealed record CrossValidation(int Folds, int Seed, string Trainer, IReadOnlyList<double> FoldPlcc, double PlccMean, double PlccStd, double PooledPlcc, string JsonlSha256)
{
    public const string FileName = "cross_validation.json";
}
