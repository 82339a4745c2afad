namespace Konvid.Core.Train;

/// <summary>
/// Fits a <see cref="KernelHead"/>. Bandwidth, ridge, the limit on standardised features and the number of random
/// features are chosen by k-fold inner
/// validation on the rows given (the caller's training rows: never the held-out fold); the seed draws the random
/// directions and phases, the inner folds and, above <see cref="KernelSettings.MaxRows"/>, the subsample fitted on.
/// </summary>
internal static class KernelTrainer
{
    public static KernelHead Fit(CorpusMatrix matrix, int[] rows, int seed, KernelSettings settings, CancellationToken ct, KernelChoice? choice = null)
    {
        var random = new Random(seed);
        var fitRows = Subsample(rows, settings.MaxRows, random);
        var features = matrix.Columns;
        var (mean, scale) = Statistics(matrix, rows);
        var components = settings.Components.Max();
        var directions = new double[features * components];
        for (var i = 0; i < directions.Length; i++) directions[i] = Gaussian(random);
        var phase = new double[components];
        for (var j = 0; j < components; j++) phase[j] = 2 * Math.PI * random.NextDouble();

        var head = new KernelHead(mean, scale, [], phase, [], 0, choice ?? new KernelChoice(0, 0, 0, 0, 0, 0, double.PositiveInfinity), fitRows.Length);
        double[] Project(double clip) => KernelMath.Multiply(head.Standardise(matrix, fitRows, clip), fitRows.Length, features, directions, components);
        var y = fitRows.Select(r => (double)matrix.Mos[r]).ToArray();
        var (chosen, projected) = choice is null ? Choose(Project, phase, y, features, components, settings, random, ct) : (choice, Project(choice.Clip));
        ct.ThrowIfCancellationRequested();

        var width = chosen.Components;
        var z = Cosines(projected, phase, components, width, 1 / chosen.Bandwidth);
        var bias = y.Average();
        var all = new FoldSums(z, width, y, Enumerable.Range(0, y.Length).ToArray());
        var weights = new double[width];
        var ridge = chosen.Ridge;
        while (!all.TrySolve(ridge, weights)) ridge *= 10;
        // The graph applies the weights to the bare cosines: fold the feature map's sqrt(2/D) into them.
        var norm = Math.Sqrt(2.0 / width);
        for (var j = 0; j < width; j++) weights[j] *= norm;
        var projection = new double[features * width];
        for (var f = 0; f < features; f++)
            for (var j = 0; j < width; j++) projection[f * width + j] = directions[f * components + j] / chosen.Bandwidth;
        return head with { Projection = projection, Phase = phase[..width], Weights = weights, Bias = bias, Choice = chosen with { Ridge = ridge } };
    }

    /// <summary>
    /// k-fold inner validation: bandwidth and ridge on a grid at the fewest random features and the first clip, then
    /// the other clips at that bandwidth and ridge, then the number of features. Lowest RMSE wins; ties go to the
    /// earlier candidate. Returns the projection of the fit rows at the chosen clip with the choice.
    /// </summary>
    private static (KernelChoice Choice, double[] Projected) Choose(Func<double, double[]> project, double[] phase, double[] y, int features, int components, KernelSettings settings,
        Random random, CancellationToken ct)
    {
        var n = y.Length;
        var folds = Math.Max(2, Math.Min(settings.InnerFolds, n / 2));
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        var foldOf = new int[n];
        for (var i = 0; i < n; i++) foldOf[order[i]] = i % folds;
        var widths = settings.Components.Order().ToArray();
        var candidates = settings.Bandwidths.Count * settings.Ridges.Count + settings.Clips.Count - 1 + widths.Length - 1;
        KernelChoice? best = null;
        var projected = project(settings.Clips[0]);

        foreach (var factor in settings.Bandwidths)
        {
            ct.ThrowIfCancellationRequested();
            var bandwidth = factor * Math.Sqrt(features);
            var rmse = InnerRmse(Cosines(projected, phase, components, widths[0], 1 / bandwidth), widths[0], y, foldOf, folds, settings.Ridges);
            for (var r = 0; r < rmse.Length; r++)
                if (best is null || rmse[r] < best.InnerRmse)
                    best = new KernelChoice(bandwidth, settings.Ridges[r], widths[0], rmse[r], folds, candidates, settings.Clips[0]);
        }
        foreach (var clip in settings.Clips.Skip(1))
        {
            ct.ThrowIfCancellationRequested();
            var other = project(clip);
            var rmse = InnerRmse(Cosines(other, phase, components, widths[0], 1 / best!.Bandwidth), widths[0], y, foldOf, folds, [best.Ridge])[0];
            if (rmse < best.InnerRmse) (best, projected) = (best with { Clip = clip, InnerRmse = rmse }, other);
        }
        foreach (var width in widths.Skip(1))
        {
            ct.ThrowIfCancellationRequested();
            var rmse = InnerRmse(Cosines(projected, phase, components, width, 1 / best!.Bandwidth), width, y, foldOf, folds, [best.Ridge])[0];
            if (rmse < best.InnerRmse) best = best with { Components = width, InnerRmse = rmse };
        }
        return (best!, projected);
    }

    /// <summary>Out-of-fold RMSE (predictions clamped to the MOS range) for each ridge.</summary>
    private static double[] InnerRmse(double[] z, int width, double[] y, int[] foldOf, int folds, IReadOnlyList<double> ridges)
    {
        var rows = Enumerable.Range(0, folds).Select(k => Enumerable.Range(0, y.Length).Where(i => foldOf[i] == k).ToArray()).ToArray();
        var sums = rows.Select(r => new FoldSums(z, width, y, r)).ToArray();
        var sse = new double[ridges.Count];
        var weights = new double[width];
        for (var k = 0; k < folds; k++)
        {
            var train = FoldSums.Except(sums, k);
            var mean = train.YSum / train.Count;
            for (var r = 0; r < ridges.Count; r++)
            {
                if (!train.TrySolve(ridges[r], weights)) { sse[r] = double.PositiveInfinity; continue; }
                var norm = Math.Sqrt(2.0 / width);
                foreach (var i in rows[k])
                {
                    var predicted = mean + norm * KernelMath.Dot(z.AsSpan(i * width, width), weights);
                    var error = Math.Clamp(predicted, OnnxExport.MosMin, OnnxExport.MosMax) - y[i];
                    sse[r] += error * error;
                }
            }
        }
        return sse.Select(e => Math.Sqrt(e / y.Length)).ToArray();
    }

    /// <summary>
    /// The ridge system's pieces over some rows of the cosine matrix Z (n x width): ZᵀZ (lower triangle), Zᵀy, Zᵀ1,
    /// the sum of y and the row count. Sums over folds add, so a fold's training system is the total minus the fold.
    /// </summary>
    private sealed class FoldSums
    {
        private FoldSums(int width)
        {
            Width = width;
            Gram = new double[width * width];
            ZtY = new double[width];
            ZtOne = new double[width];
        }

        public FoldSums(double[] z, int width, double[] y, int[] rows) : this(width)
        {
            // Blocks of rows small enough to stay in cache while every row of the Gram matrix takes their share.
            const int block = 32;
            for (var start = 0; start < rows.Length; start += block)
            {
                var chunk = rows.AsSpan(start, Math.Min(block, rows.Length - start)).ToArray();
                Parallel.For(0, width, a =>
                {
                    var target = Gram.AsSpan(a * width, a + 1);
                    foreach (var i in chunk)
                        if (z[i * width + a] is var v and not 0) KernelMath.Axpy(v, z.AsSpan(i * width, a + 1), target);
                });
            }
            foreach (var i in rows)
            {
                KernelMath.Axpy(y[i], z.AsSpan(i * width, width), ZtY);
                KernelMath.Axpy(1, z.AsSpan(i * width, width), ZtOne);
                YSum += y[i];
            }
            Count = rows.Length;
        }

        public int Width { get; }

        public double[] Gram { get; }

        public double[] ZtY { get; }

        public double[] ZtOne { get; }

        public double YSum { get; private set; }

        public int Count { get; private set; }

        public static FoldSums Except(FoldSums[] folds, int k)
        {
            var sum = new FoldSums(folds[0].Width);
            for (var j = 0; j < folds.Length; j++)
            {
                if (j == k) continue;
                KernelMath.Axpy(1, folds[j].Gram, sum.Gram);
                KernelMath.Axpy(1, folds[j].ZtY, sum.ZtY);
                KernelMath.Axpy(1, folds[j].ZtOne, sum.ZtOne);
                sum.YSum += folds[j].YSum;
                sum.Count += folds[j].Count;
            }
            return sum;
        }

        /// <summary>
        /// Ridge weights w for the map phi = sqrt(2/width)·z on targets centred at their mean:
        /// (ΦᵀΦ + ridge·I) w = Φᵀ(y - ȳ).
        /// </summary>
        public bool TrySolve(double ridge, Span<double> weights)
        {
            var norm = 2.0 / Width;
            var mean = YSum / Count;
            var gram = new double[Gram.Length];
            for (var i = 0; i < gram.Length; i++) gram[i] = Gram[i] * norm;
            var rhs = new double[Width];
            for (var j = 0; j < Width; j++) rhs[j] = Math.Sqrt(norm) * (ZtY[j] - mean * ZtOne[j]);
            return KernelMath.TrySolve(gram, Width, ridge, rhs, weights);
        }
    }

    /// <summary>cos(projection / bandwidth + phase) for the first <paramref name="width"/> components, n x width.</summary>
    private static double[] Cosines(double[] projected, double[] phase, int components, int width, double inverseBandwidth)
    {
        var n = projected.Length / components;
        var z = new double[n * width];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < width; j++) z[i * width + j] = Math.Cos(projected[i * components + j] * inverseBandwidth + phase[j]);
        return z;
    }

    /// <summary>Mean and standard deviation of each feature over the rows; a constant feature gets scale 1.</summary>
    internal static (double[] Mean, double[] Scale) Statistics(CorpusMatrix matrix, int[] rows)
    {
        var features = matrix.Columns;
        var mean = new double[features];
        var square = new double[features];
        foreach (var r in rows)
        {
            var row = matrix.Row(r);
            for (var f = 0; f < features; f++) mean[f] += row[f];
        }
        for (var f = 0; f < features; f++) mean[f] /= rows.Length;
        foreach (var r in rows)
        {
            var row = matrix.Row(r);
            for (var f = 0; f < features; f++) square[f] += (row[f] - mean[f]) * (row[f] - mean[f]);
        }
        var scale = new double[features];
        for (var f = 0; f < features; f++)
        {
            var std = Math.Sqrt(square[f] / Math.Max(1, rows.Length - 1));
            scale[f] = std > 1e-12 * Math.Max(1, Math.Abs(mean[f])) ? std : 1;
        }
        return (mean, scale);
    }

    private static int[] Subsample(int[] rows, int max, Random random)
    {
        if (rows.Length <= max) return rows;
        var copy = rows.ToArray();
        random.Shuffle(copy);
        return copy[..max].Order().ToArray();
    }

    private static double Gaussian(Random random)
    {
        // Box-Muller; 1 - U keeps the logarithm finite.
        var u = 1 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}

/// <summary>
/// The kernel family's search space and size limits. Bandwidths are multiples of sqrt(F) in standardised units
/// (the typical distance between two rows); ridges act on a kernel whose diagonal is about 1; clips limit each
/// standardised feature to that many standard deviations (the first is the grid's, infinity is no limit). Above
/// <see cref="MaxRows"/> training rows the fit uses a seeded subsample of that size; above <see cref="AutoMaxRows"/>
/// the automatic choice leaves the family out (the trees use every row there).
/// </summary>
internal sealed record KernelSettings(
    IReadOnlyList<double> Bandwidths,
    IReadOnlyList<double> Ridges,
    IReadOnlyList<int> Components,
    IReadOnlyList<double>? Clips = null,
    int InnerFolds = 3,
    int MaxRows = 4_000,
    int AutoMaxRows = 4_000)
{
    public static readonly KernelSettings Default = new([0.5, 0.75, 1, 1.5, 2, 3], [0.01, 0.03, 0.1, 0.3, 1, 3], [256, 512, 1024], [3, 2, double.PositiveInfinity]);

    public IReadOnlyList<double> Clips { get; init; } = Clips is { Count: > 0 } ? Clips : [double.PositiveInfinity];
}
