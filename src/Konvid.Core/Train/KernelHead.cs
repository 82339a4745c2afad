namespace Konvid.Core.Train;

/// <summary>
/// An RBF kernel ridge head through random Fourier features: each feature is standardised with the training rows'
/// mean and scale and limited to ±<see cref="KernelChoice.Clip"/> standard deviations, projected on random directions, shifted by random phases and passed through cos; the MOS is a
/// linear function of those cosines. <see cref="Projection"/> is F x D row-major (already divided by the bandwidth),
/// <see cref="Weights"/> already carry the sqrt(2/D) of the feature map.
/// </summary>
internal sealed record KernelHead(
    double[] Mean,
    double[] Scale,
    double[] Projection,
    double[] Phase,
    double[] Weights,
    double Bias,
    KernelChoice Choice,
    int FitRows)
{
    public int Features => Mean.Length;

    public int Components => Phase.Length;

    /// <summary>Unclamped predictions for rows of the matrix, computed as the exported graph computes them (double, then float).</summary>
    public float[] Predict(CorpusMatrix matrix, int[] rows)
    {
        var predicted = new float[rows.Length];
        const int block = 256;
        for (var start = 0; start < rows.Length; start += block)
        {
            var count = Math.Min(block, rows.Length - start);
            var standardised = Standardise(matrix, rows.AsSpan(start, count));
            var projected = KernelMath.Multiply(standardised, count, Features, Projection, Components);
            for (var i = 0; i < count; i++)
            {
                var z = projected.AsSpan(i * Components, Components);
                for (var j = 0; j < z.Length; j++) z[j] = Math.Cos(z[j] + Phase[j]);
                predicted[start + i] = (float)(KernelMath.Dot(z, Weights) + Bias);
            }
        }
        return predicted;
    }

    /// <summary>(x - mean) / scale limited to ±clip, for rows of the matrix, row-major.</summary>
    public double[] Standardise(CorpusMatrix matrix, ReadOnlySpan<int> rows) => Standardise(matrix, rows, Choice.Clip);

    public double[] Standardise(CorpusMatrix matrix, ReadOnlySpan<int> rows, double clip)
    {
        var values = new double[rows.Length * Features];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = matrix.Row(rows[i]);
            for (var f = 0; f < Features; f++) values[i * Features + f] = Math.Clamp((row[f] - Mean[f]) / Scale[f], -clip, clip);
        }
        return values;
    }
}

/// <summary>
/// The kernel family's hyper-parameters as chosen by inner validation, with the inner RMSE of the choice.
/// <see cref="Clip"/> limits each standardised feature (infinity: no limit): a few heavy-tailed features would
/// otherwise dominate every distance the kernel sees.
/// </summary>
internal sealed record KernelChoice(double Bandwidth, double Ridge, int Components, double InnerRmse, int InnerFolds, int Candidates, double Clip);
