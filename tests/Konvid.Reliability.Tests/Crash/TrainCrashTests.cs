using Konvid.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Konvid.Reliability.Tests.Crash;

/// <summary>Train SIGKILLed while reading, training and cross-validating, then re-run: models, cards and held-out files equal the uninterrupted run's.</summary>
public class TrainCrashTests(TrainReferenceRun reference, ITestOutputHelper output) : IClassFixture<TrainReferenceRun>
{
    [Theory]
    [InlineData("early: reading the corpus", "[Read corpus] starting")]
    [InlineData("middle: training the seeds", "[Train seeds] starting")]
    [InlineData("late: cross-validating after the models", "[Cross-validate] starting")]
    public async Task Train_killed_at_any_moment_then_rerun_leaves_byte_identical_models_and_cards(string moment, string killAt)
    {
        using var dir = new Scratch();
        TrainReferenceRun.Copy(reference.BeforeTrain, dir.Path);

        using (var doomed = KonvidProcess.Start(TrainReferenceRun.TrainArgs(dir.Path), SamplePipeline.SmallEnv))
        {
            var line = doomed.LineAsync(l => l.Contains(killAt));
            await Task.WhenAny(line, doomed.WaitAsync());
            var runningAtKill = !doomed.HasExited;
            doomed.Crash();
            await doomed.WaitAsync();
            Assert.True(line.IsCompleted, $"Train ended before '{killAt}':\n{doomed.Output}");
            output.WriteLine($"{(runningAtKill ? "killed" : "(already finished when the kill came)")} Train {moment}");
        }

        var crashed = WorkSnapshot.Take(dir.Path);
        if (crashed.Fingerprints.Contains("Train.json"))
            Assert.True(crashed.Differences(reference.AfterTrain).Count == 0, $"Train.json recorded for an unfinished run: {string.Join(", ", crashed.Differences(reference.AfterTrain))}");
        output.WriteLine($"at the crash: {string.Join(", ", crashed.Differences(reference.AfterTrain))}; leftovers: {string.Join(", ", crashed.Leftovers)}");

        var rerun = await KonvidProcess.RunAsync(TrainReferenceRun.TrainArgs(dir.Path), SamplePipeline.SmallEnv);
        Assert.True(rerun.ExitCode == 0, rerun.Output);

        var after = WorkSnapshot.Take(dir.Path);
        Assert.True(after.Differences(reference.AfterTrain).Count == 0, $"after the re-run: {string.Join(", ", after.Differences(reference.AfterTrain))}");
        Assert.Contains("Train.json", after.Fingerprints);
        Assert.All(after.Leftovers, l => Assert.Matches(@"(/\.[^/]+\.\d+\.[0-9a-f]{32}\.tmp|/\.targets/\w+\.json\.\d+\.tmp)$", l));
    }
}
