using Konvid.Core.Features.Deep;
using Konvid.Core.Probe;

namespace Konvid.Core.Tests.Features.Deep;

public sealed class FrameSamplingTests
{
    private static ProbeResult Clip(double seconds, double fps, long? frames) =>
        new("clip.mp4", new string('a', 64), 1000, 320, 240, fps, seconds, "yuv420p", "h264", frames);

    [Fact]
    public void Picks_at_least_four_frames_spread_over_a_two_second_clip()
    {
        var plan = FrameSampling.Default.Plan(Clip(2, 25, 50));

        Assert.Equal([6, 18, 31, 43], plan); // centres of four 12.5-frame segments
    }

    [Fact]
    public void Picks_one_frame_per_second_at_the_middle_of_each_second_of_a_ten_second_clip()
    {
        var plan = FrameSampling.Default.Plan(Clip(10, 30, 300));

        Assert.Equal(Enumerable.Range(0, 10).Select(s => s * 30 + 15), plan);
    }

    [Fact]
    public void Estimates_the_frame_count_from_duration_and_frame_rate_when_ffprobe_gives_none()
    {
        var plan = FrameSampling.Default.Plan(Clip(8, 24, null));

        Assert.Equal(8, plan.Length);
        Assert.Equal(12, plan[0]);
        Assert.Equal(7 * 24 + 12, plan[^1]);
    }

    [Fact]
    public void Samples_every_frame_of_a_clip_with_fewer_frames_than_the_minimum()
    {
        Assert.Equal([0, 1, 2], FrameSampling.Default.Plan(Clip(0.1, 30, 3)));
    }

    [Fact]
    public void Plans_the_first_frame_when_the_probe_knows_neither_length_nor_rate()
    {
        Assert.Equal([0], FrameSampling.Default.Plan(Clip(0, 0, null)));
    }

    [Fact]
    public void Samples_more_densely_when_asked_for_more_frames_per_second()
    {
        var plan = new FrameSampling(PerSecond: 2).Plan(Clip(10, 25, 250));

        Assert.Equal(20, plan.Length);
        Assert.All(plan.Zip(plan.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 12, 13));
    }
}
