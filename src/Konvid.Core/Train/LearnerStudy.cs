using System.Diagnostics;
using Konvid.Core.Workspace;

namespace Konvid.Core.Train;

/// <summary>
/// Compares learners on a corpus-shaped JSONL the way Train uses them (each fit chooses on its own validation
/// carve-out and inner folds, from its training rows only): k-fold cross-validation on the clip-id hash folds, and a
/// cross-group check that trains on some groups of clips and tests on the others.
/// </summary>
public static class LearnerStudy
{
    /// <summary>Above this many training rows the kernel fits a seeded subsample and auto leaves it out.</summary>
    public static int KernelMaxRows => KernelSettings.Default.MaxRows;

    /// <summary>Wall seconds of one Train fit (choice included) on every row of the file.</summary>
    public static async Task<double> FitSecondsAsync(string jsonl, MosLearner learner, int seed, CancellationToken ct)
    {
        var matrix = await CorpusMatrix.LoadAsync(jsonl, null, NullProgress.Instance, ct);
        var clock = Stopwatch.StartNew();
        Trainer.FitSeed(matrix, Enumerable.Range(0, matrix.Rows).ToArray(), seed, new TrainOptions(Learner: learner), ct);
        return clock.Elapsed.TotalSeconds;
    }

    public static async Task<IReadOnlyList<LearnerScore>> CrossValidateAsync(string jsonl, IReadOnlyList<MosLearner> learners, int folds, int seed,
        IProgressReporter progress, CancellationToken ct, TrainOptions? template = null)
    {
        var matrix = await CorpusMatrix.LoadAsync(jsonl, null, progress, ct);
        var fold = matrix.Ids.Select(id => HoldoutSplit.Fold(id, folds)).ToArray();
        var scores = new List<LearnerScore>();
        foreach (var learner in learners)
        {
            var outOfFold = new double[matrix.Rows];
            var foldPlcc = new List<double>();
            var chosen = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var clock = new Stopwatch();
            for (var k = 0; k < folds; k++)
            {
                var test = Enumerable.Range(0, matrix.Rows).Where(r => fold[r] == k).ToArray();
                var train = Enumerable.Range(0, matrix.Rows).Where(r => fold[r] != k).ToArray();
                clock.Start();
                var (head, picked, _, _, _) = Trainer.FitSeed(matrix, train, seed, (template ?? new TrainOptions()) with { Learner = learner }, ct);
                clock.Stop();
                chosen[picked.ToString()] = chosen.GetValueOrDefault(picked.ToString()) + 1;
                var predicted = head.Predict(matrix, test);
                for (var i = 0; i < test.Length; i++) outOfFold[test[i]] = Math.Clamp(predicted[i], OnnxExport.MosMin, OnnxExport.MosMax);
                foldPlcc.Add(Correlation.Plcc(test.Select(r => outOfFold[r]).ToArray(), test.Select(r => (double)matrix.Mos[r]).ToArray()));
            }
            var mean = foldPlcc.Average();
            var std = Math.Sqrt(foldPlcc.Sum(p => (p - mean) * (p - mean)) / (foldPlcc.Count - 1));
            var mos = matrix.Mos.Select(m => (double)m).ToArray();
            scores.Add(new LearnerScore(learner.ToString(), matrix.Rows, folds, mean, std, Correlation.Plcc(outOfFold, mos), Correlation.Srocc(outOfFold, mos),
                clock.Elapsed.TotalSeconds / folds, chosen));
            progress.Info($"LearnerStudy: {learner}: {folds}-fold PLCC {mean:F4} +- {std:F4}, pooled SROCC {scores[^1].PooledSrocc:F4}, {scores[^1].SecondsPerFit:F1} s per fit");
        }
        return scores;
    }

    /// <summary>Trains on the rows whose group (from the clip id) is in <paramref name="trainGroups"/> and tests on all the others.</summary>
    public static async Task<IReadOnlyList<GroupTransferScore>> AcrossGroupsAsync(string jsonl, Func<string, string> groupOf, IReadOnlySet<string> trainGroups,
        IReadOnlyList<MosLearner> learners, int seed, IProgressReporter progress, CancellationToken ct, TrainOptions? template = null)
    {
        var matrix = await CorpusMatrix.LoadAsync(jsonl, null, progress, ct);
        var inTrain = matrix.Ids.Select(id => trainGroups.Contains(groupOf(id))).ToArray();
        var train = Enumerable.Range(0, matrix.Rows).Where(r => inTrain[r]).ToArray();
        var test = Enumerable.Range(0, matrix.Rows).Where(r => !inTrain[r]).ToArray();
        var mos = test.Select(r => (double)matrix.Mos[r]).ToArray();
        var scores = new List<GroupTransferScore>();
        foreach (var learner in learners)
        {
            var (head, picked, _, _, _) = Trainer.FitSeed(matrix, train, seed, (template ?? new TrainOptions()) with { Learner = learner }, ct);
            var predicted = head.Predict(matrix, test).Select(p => (double)Math.Clamp(p, OnnxExport.MosMin, OnnxExport.MosMax)).ToArray();
            scores.Add(new GroupTransferScore(learner.ToString(), picked.ToString(), train.Length, test.Length, Correlation.Plcc(predicted, mos), Correlation.Srocc(predicted, mos)));
            progress.Info($"LearnerStudy: {learner} ({picked}) across groups: PLCC {scores[^1].Plcc:F4} SROCC {scores[^1].Srocc:F4}");
        }
        return scores;
    }
}

/// <summary>One learner's k-fold figures: fold PLCC mean and spread, pooled out-of-fold PLCC and SROCC, fit time, and what auto chose per fold.</summary>
public sealed record LearnerScore(string Learner, int Rows, int Folds, double PlccMean, double PlccStd, double PooledPlcc, double PooledSrocc,
    double SecondsPerFit, IReadOnlyDictionary<string, int> Chosen);

/// <summary>One learner trained on some groups of clips and tested on the rest.</summary>
public sealed record GroupTransferScore(string Learner, string Chosen, int TrainRows, int TestRows, double Plcc, double Srocc);
