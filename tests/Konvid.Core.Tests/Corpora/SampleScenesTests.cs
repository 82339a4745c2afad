using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Corpora;

namespace Konvid.Core.Tests.Corpora;

public class SampleScenesTests
{
    public static TheoryData<string> Scenes => new(SampleScenes.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Scenes))]
    public async Task A_scene_renders_the_same_pixels_in_every_process(string name)
    {
        // Catches any lavfi option left at a "random" default (ffmpeg seeds those from /dev/urandom per process),
        // which a Tiny corpus of the first three scenes would never render.
        var index = SampleScenes.All.ToList().FindIndex(s => s.Name == name);
        var geometry = SampleGeometry.For(index, 96, 54, 0.4);
        var graph = SampleScenes.All[index].Graph(geometry);

        var first = await Md5Async(graph, geometry.Duration);
        var second = await Md5Async(graph, geometry.Duration);

        Assert.StartsWith("MD5=", first);
        Assert.Equal(first, second);
    }

    private static async Task<string> Md5Async(string graph, string seconds) =>
        (await Cli.Wrap("ffmpeg").WithArguments(["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", graph, "-t", seconds, "-f", "md5", "-"])
            .ExecuteBufferedAsync()).StandardOutput.Trim();
}
