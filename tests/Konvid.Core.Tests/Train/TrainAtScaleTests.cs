using Konvid.Core.Tests.Support;
using Konvid.Core.Train;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Train;

public class TrainAtScaleTests
{
    [Theory]
    [InlineData(300, 46)]
    [InlineData(40_000, 320)]
    public void Corpora_within_the_per_tree_sizes_train_exactly_as_configured(int rows, int columns)
    {
        var hp = new MosHyperParameters();
        Assert.Equal(hp, hp.AtScale(rows, columns));
    }

    [Fact]
    public void At_konvid_150k_size_and_width_each_tree_sees_a_seeded_sample_of_rows_and_features()
    {
        var hp = new MosHyperParameters().AtScale(135_000, 1_070);

        Assert.Equal(Math.Round(40_000 / 135_000.0, 3), hp.BaggingFraction);
        Assert.Equal(Math.Round(320 / 1_070.0, 3), hp.FeatureFraction);
        Assert.Equal(63, hp.MaxBins);
        Assert.Equal(new MosHyperParameters() with { BaggingFraction = hp.BaggingFraction, FeatureFraction = hp.FeatureFraction, MaxBins = 63 }, hp);
        // Never raised: a caller's smaller fractions stay.
        Assert.Equal(0.1, new MosHyperParameters(BaggingFraction: 0.1, FeatureFraction: 0.1).AtScale(135_000, 1_070).BaggingFraction);
    }

    [Fact]
    public void FastTree_is_a_candidate_only_where_its_full_fit_is_affordable()
    {
        Assert.Equal([MosLearner.LightGbm, MosLearner.FastTree], MosTrainer.Candidates(18_000, 1_070));
        Assert.Equal([MosLearner.LightGbm, MosLearner.FastTree], MosTrainer.Candidates(135_000, 46));
        Assert.Equal([MosLearner.LightGbm], MosTrainer.Candidates(135_000, 1_070));
    }

    [Fact]
    public async Task Above_the_choice_size_the_learner_is_chosen_on_a_seed_drawn_sample_and_the_card_says_so()
    {
        using var dir = new TempDir();
        var options = ModelFixtures.Options(0, 1) with { ChoiceRows = 60 };

        var (layout, report) = await ModelFixtures.TrainAsync(dir.Path, options: options);

        Assert.Equal(4, report.Timings.ChoiceFits);
        Assert.Equal(2, report.Timings.FinalFits);
        foreach (var seed in new[] { 0, 1 })
        {
            var card = await ModelCard.ReadAsync(Path.Combine(layout.Models, ModelCard.FileName(seed)), default);
            Assert.Contains("candidates fitted on a sample of", card.Recipe.Selection);
            Assert.Equal(2, card.Recipe.ValidationRmse.Count);
        }
    }

    [Fact]
    public async Task Cross_validation_reuses_the_first_seed_as_the_heldout_folds_fit()
    {
        using var dir = new TempDir();
        var options = ModelFixtures.Options(0, 1) with { CvFolds = 10, Holdout = 0.1 };

        var (_, report) = await ModelFixtures.TrainAsync(dir.Path, options: options);

        Assert.Equal(9, report.Timings.CvFits);
        // Fold 0 is the held-out fold: its PLCC is the first seed's held-out PLCC (ONNX and in-memory agree within 1e-4).
        Assert.Equal(report.Seeds[0].Metrics.Plcc, report.CrossValidation!.FoldPlcc[0], 3);
    }

    [Fact]
    public async Task Other_fold_counts_fit_every_fold()
    {
        using var dir = new TempDir();
        var options = ModelFixtures.Options(0) with { CvFolds = 5, Holdout = 0.1 };

        var (_, report) = await ModelFixtures.TrainAsync(dir.Path, options: options);

        Assert.Equal(5, report.Timings.CvFits);
    }
}
