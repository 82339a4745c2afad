using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Support;

/// <summary>Tiny, fast training runs over <see cref="ModelCorpus"/> for the model tests.</summary>
public static class ModelFixtures
{
    public static readonly MosHyperParameters Tiny = new(Trees: 20, Leaves: 8, MinRowsPerLeaf: 5, LearningRate: 0.2);

    public static TrainOptions Options(params int[] seeds) =>
        new(Seeds: seeds, Holdout: 0.1, Threads: 1, HyperParameters: Tiny, CvFolds: 0);

    /// <summary>A corpus of <paramref name="rows"/> rows trained with <paramref name="seeds"/> into layout.Models.</summary>
    public static async Task<(CorpusLayout Layout, TrainReport Report)> TrainAsync(string workDir, int rows = 300, TrainOptions? options = null)
    {
        var layout = new CorpusLayout(workDir, "sample");
        await ModelCorpus.WriteAsync(layout.CorpusJsonl, rows);
        var report = await Trainer.RunAsync(layout, options ?? Options(0, 1), NullProgress.Instance, default);
        return (layout, report);
    }
}
