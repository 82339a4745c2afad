using Konvid.Core.Jsonl;
using Konvid.Core.Tests.Support;
using Konvid.Testing;

namespace Konvid.Core.Tests.Jsonl;

public class VotesReaderTests
{
    private static async Task<VotesResult> ReadAsync(TempDir dir, string text)
    {
        await File.WriteAllTextAsync(dir["votes.csv"], text);
        return await VotesReader.ReadAsync(dir["votes.csv"]);
    }

    // Oracle: Python 3, statistics.stdev([1, 2, 3, 4]) = 1.2909944487358056 and stdev([2, 4, 4, 5]) = 1.2583057392117916.
    [Theory]
    [InlineData("video_name,score\na.mp4,1\na.mp4,2\nb,2\na,3\nb,4\na.mp4,4\nb.mp4,4\nb.mp4,5\n", "per-vote table")]
    [InlineData("a.mp4,1\na.mp4,2\nb,2\na,3\nb,4\na.mp4,4\nb.mp4,4\nb.mp4,5\n", "header-less per-vote table")]
    [InlineData("video_name,vote_1,vote_2,vote_3,vote_4\na.mp4,1,2,3,4\nb.mp4,2,4,4,5\n", "wide table")]
    [InlineData("a.mp4,1,2,3,4\nb.mp4,2,4,4,5\n", "header-less wide table")]
    public async Task Counts_ratings_and_their_sample_spread_per_clip_whatever_the_shape(string text, string shape)
    {
        using var dir = new TempDir();
        var votes = await ReadAsync(dir, text);

        Assert.True(votes.Recognised);
        Assert.StartsWith(shape, votes.Shape);
        Assert.Equal(4, votes.ByKey["a"].NRatings);
        Assert.Equal(1.2909944487358056, votes.ByKey["a"].StdDev, 12);
        Assert.Equal(4, votes.ByKey["b"].NRatings);
        Assert.Equal(1.2583057392117916, votes.ByKey["b"].StdDev, 12);
    }

    [Fact]
    public async Task Takes_published_per_clip_aggregates_as_they_are()
    {
        using var dir = new TempDir();
        var votes = await ReadAsync(dir, "\uFEFFVideo_Name,Num_Ratings,MOS_STD\r\norig_1_540_5s.mp4,5,0.4472\r\n");

        Assert.Equal(new VoteSummary(5, 0.4472), votes.ByKey["orig_1_540_5s"]);
    }

    [Fact]
    public async Task Fills_nothing_from_columns_it_cannot_identify()
    {
        using var dir = new TempDir();
        var votes = await ReadAsync(dir, "worker,video_name,timestamp\nw1,a.mp4,2019-01-01\n");

        Assert.False(votes.Recognised);
        Assert.Contains("no vote, count or sd column", votes.Shape);
        Assert.Empty(votes.ByKey);
    }
}
