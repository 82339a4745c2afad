namespace Konvid.Core.Train;

/// <summary>
/// How well predictions agree with MOS on n rows. <see cref="PlccLogistic"/> is PLCC after the 4-parameter logistic
/// mapping (<see cref="LogisticMapping"/>) fitted on these same rows, the convention of VQEG reports.
/// </summary>
public sealed record ModelMetrics(int N, double Plcc, double Srocc, double Krocc, double Rmse, double PlccLogistic)
{
    public static ModelMetrics Compute(ReadOnlySpan<double> predicted, ReadOnlySpan<double> mos)
    {
        var mapping = LogisticMapping.Fit(predicted, mos);
        var mapped = new double[predicted.Length];
        for (var i = 0; i < mapped.Length; i++) mapped[i] = mapping.Map(predicted[i]);
        // A logistic that flattens to a constant (possible on a tiny fold) has no PLCC; the linear one stands in.
        var plcc = Correlation.Plcc(predicted, mos);
        var logistic = mapped.AsSpan().IndexOfAnyExcept(mapped[0]) < 0 ? plcc : Correlation.Plcc(mapped, mos);
        return new ModelMetrics(predicted.Length, plcc, Correlation.Srocc(predicted, mos), Correlation.Krocc(predicted, mos),
            Correlation.Rmse(predicted, mos), logistic);
    }
}
