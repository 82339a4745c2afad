using Konvid.Core.Train;

namespace Konvid.Core.Evaluate;

/// <summary>
/// A model's metrics on rows of a corpus: per seed, the seeds' mean, and of the seeds' mean prediction (the MOS Predict
/// gives); where the metrics, predictions and scatter plot were written.
/// </summary>
public sealed record EvaluateReport(
    string ModelDir,
    string Model,
    string Corpus,
    string CorpusJsonl,
    string JsonlSha256,
    EvaluateRows Rows,
    int N,
    int Skipped,
    IReadOnlyList<(int Seed, ModelMetrics Metrics)> Seeds,
    ModelMetrics Mean,
    ModelMetrics Ensemble,
    string OutputDir);
