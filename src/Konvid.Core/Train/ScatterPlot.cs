namespace Konvid.Core.Train;

/// <summary>Predicted vs MOS on the held-out fold, metrics in the title (ScottPlot, rendered headless to PNG bytes).</summary>
internal static class ScatterPlot
{
    public static byte[] Render(ReadOnlySpan<double> mos, ReadOnlySpan<double> predicted, string title)
    {
        var plot = new ScottPlot.Plot();
        var identity = plot.Add.Line(1, 1, 5, 5);
        identity.LineColor = ScottPlot.Colors.Gray;
        identity.LinePattern = ScottPlot.LinePattern.Dashed;
        var points = plot.Add.ScatterPoints(mos.ToArray(), predicted.ToArray());
        points.MarkerSize = 4;
        plot.Title(title, size: 12);
        plot.XLabel("MOS");
        plot.YLabel("predicted MOS");
        plot.Axes.SetLimits(0.8, 5.2, 0.8, 5.2);
        return plot.GetImageBytes(900, 700, ScottPlot.ImageFormat.Png);
    }
}
