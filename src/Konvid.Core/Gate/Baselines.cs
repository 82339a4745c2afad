using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Core.Gate;

/// <summary>One simple predictor's agreement with MOS on the held-out fold; <see cref="Sign"/> is +1 or -1 (single features).</summary>
internal sealed record BaselineScore(string Name, int Sign, double Plcc, double Srocc, double? Rmse);

/// <summary>
/// What the head adds over the simple signals it is built from, on the same held-out fold: each nr-v1 feature alone,
/// signed on the training rows so that higher means better, and a ridge-regularised linear model on all nr-v1
/// features fitted on the training rows. <see cref="Features"/> is ordered best first (by SROCC).
/// </summary>
internal sealed record Baselines(int HeldOutRows, int TrainRows, BaselineScore? Linear, IReadOnlyList<BaselineScore> Features)
{
    /// <summary>Ridge strength on standardised features: enough to keep the solve stable when features are collinear.</summary>
    public const double Ridge = 1e-3;

    /// <summary>
    /// Reads the corpus's nr-v1 columns (the card's features minus the CNN ones) and splits it as the model was
    /// split; null when there are none or too few rows to measure.
    /// </summary>
    public static async Task<Baselines?> MeasureAsync(string jsonl, ModelCard card, CancellationToken ct)
    {
        var names = card.FeatureOrder.Where(f => !f.StartsWith("cnn_", StringComparison.Ordinal)).ToList();
        if (names.Count == 0 || !File.Exists(jsonl)) return null;
        var matrix = await CorpusMatrix.LoadAsync(jsonl, names, NullProgress.Instance, ct);
        var split = Trainer.Split(matrix, card.Data.Holdout);
        if (split.HeldOut.Length < 4 || split.Train.Length < 4) return null;
        return Measure(matrix, split.Train, split.HeldOut);
    }

    internal static Baselines Measure(CorpusMatrix matrix, int[] train, int[] heldOut)
    {
        var trainMos = train.Select(r => (double)matrix.Mos[r]).ToArray();
        var heldOutMos = heldOut.Select(r => (double)matrix.Mos[r]).ToArray();
        var scores = new List<BaselineScore>();
        for (var c = 0; c < matrix.Columns; c++)
        {
            var trainValues = train.Select(r => (double)matrix.Row(r)[c]).ToArray();
            var heldOutValues = heldOut.Select(r => (double)matrix.Row(r)[c]).ToArray();
            if (!Varies(trainValues) || !Varies(heldOutValues)) continue;
            var sign = Correlation.Plcc(trainValues, trainMos) < 0 ? -1 : 1;
            var signed = heldOutValues.Select(v => sign * v).ToArray();
            scores.Add(new BaselineScore(matrix.FeatureOrder[c], sign, Correlation.Plcc(signed, heldOutMos), Correlation.Srocc(signed, heldOutMos), null));
        }
        scores.Sort((a, b) => b.Srocc.CompareTo(a.Srocc));
        return new Baselines(heldOut.Length, train.Length, FitLinear(matrix, train, heldOut, trainMos, heldOutMos), scores);
    }

    private static bool Varies(double[] values) => values.AsSpan().IndexOfAnyExcept(values[0]) >= 0;

    /// <summary>Ridge regression on features standardised with the training rows' mean and SD; predictions clamped to [1, 5] as the head's are.</summary>
    private static BaselineScore? FitLinear(CorpusMatrix matrix, int[] train, int[] heldOut, double[] trainMos, double[] heldOutMos)
    {
        var columns = Enumerable.Range(0, matrix.Columns).ToList();
        var mean = new double[matrix.Columns];
        var sd = new double[matrix.Columns];
        foreach (var c in columns)
        {
            mean[c] = train.Average(r => (double)matrix.Row(r)[c]);
            sd[c] = Math.Sqrt(train.Average(r => Math.Pow(matrix.Row(r)[c] - mean[c], 2)));
        }
        columns.RemoveAll(c => sd[c] == 0);
        if (columns.Count == 0) return null;
        var k = columns.Count;
        double Z(int row, int j) => (matrix.Row(row)[columns[j]] - mean[columns[j]]) / sd[columns[j]];
        var yMean = trainMos.Average();
        var a = new double[k, k];
        var b = new double[k];
        for (var i = 0; i < train.Length; i++)
        {
            var z = new double[k];
            for (var j = 0; j < k; j++) z[j] = Z(train[i], j);
            for (var j = 0; j < k; j++)
            {
                b[j] += z[j] * (trainMos[i] - yMean);
                for (var l = 0; l < k; l++) a[j, l] += z[j] * z[l];
            }
        }
        for (var j = 0; j < k; j++) a[j, j] += Ridge * train.Length;
        var beta = Solve(a, b);
        var predicted = heldOut.Select(r => Math.Clamp(yMean + Enumerable.Range(0, k).Sum(j => beta[j] * Z(r, j)), 1.0, 5.0)).ToArray();
        if (!Varies(predicted)) return null;
        return new BaselineScore($"linear model on {k} nr-v1 features", 1,
            Correlation.Plcc(predicted, heldOutMos), Correlation.Srocc(predicted, heldOutMos), Correlation.Rmse(predicted, heldOutMos));
    }

    /// <summary>Gaussian elimination with partial pivoting; the ridge term keeps the matrix positive definite.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        for (var p = 0; p < n; p++)
        {
            var max = p;
            for (var i = p + 1; i < n; i++) if (Math.Abs(a[i, p]) > Math.Abs(a[max, p])) max = i;
            for (var j = 0; j < n; j++) (a[p, j], a[max, j]) = (a[max, j], a[p, j]);
            (b[p], b[max]) = (b[max], b[p]);
            for (var i = p + 1; i < n; i++)
            {
                var f = a[i, p] / a[p, p];
                for (var j = p; j < n; j++) a[i, j] -= f * a[p, j];
                b[i] -= f * b[p];
            }
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var j = i + 1; j < n; j++) s -= a[i, j] * x[j];
            x[i] = s / a[i, i];
        }
        return x;
    }
}
