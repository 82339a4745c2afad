using System.Diagnostics;

namespace Konvid.Core.Train;

/// <summary>
/// Where a Train run's wall time went: reading the corpus (and from which file), choosing the learner on the
/// carve-outs, the seeds' final fits, ONNX export with its parity check, and cross-validation; with the number of
/// fits in each. Phases that run in parallel add up to more than the run's wall time.
/// </summary>
public sealed record TrainTimings(string ReadFrom, double ReadSeconds, int ChoiceFits, double ChoiceSeconds, int FinalFits, double FinalSeconds,
    double ExportSeconds, int CvFits, double CvSeconds)
{
    public override string ToString() =>
        $"read {ReadSeconds:F1} s ({ReadFrom}); learner choice {ChoiceSeconds:F1} s ({ChoiceFits} fits); final fits {FinalSeconds:F1} s ({FinalFits}); " +
        $"ONNX export and check {ExportSeconds:F1} s; cross-validation {CvSeconds:F1} s ({CvFits} fits)";
}

/// <summary>Accumulates seconds and counts per phase from any thread.</summary>
internal sealed class PhaseClock
{
    private long _choiceTicks, _finalTicks, _exportTicks, _cvTicks;
    private int _choiceFits, _finalFits, _cvFits;

    public T Choice<T>(Func<T> work) => Time(work, ref _choiceTicks, ref _choiceFits);

    public T Final<T>(Func<T> work) => Time(work, ref _finalTicks, ref _finalFits);

    public T Export<T>(Func<T> work)
    {
        var dummy = 0;
        return Time(work, ref _exportTicks, ref dummy);
    }

    public T Cv<T>(Func<T> work) => Time(work, ref _cvTicks, ref _cvFits);

    public TrainTimings Result(string readFrom, TimeSpan read) =>
        new(readFrom, read.TotalSeconds, _choiceFits, Seconds(_choiceTicks), _finalFits, Seconds(_finalTicks), Seconds(_exportTicks), _cvFits, Seconds(_cvTicks));

    private static T Time<T>(Func<T> work, ref long ticks, ref int count)
    {
        var start = Stopwatch.GetTimestamp();
        var result = work();
        Interlocked.Add(ref ticks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref count);
        return result;
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
