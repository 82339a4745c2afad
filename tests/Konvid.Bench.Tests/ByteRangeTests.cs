
namespace Konvid.Bench.Tests;

public class ByteRangeTests
{
    // RFC 9110 14.1.2 examples for a 10,000-byte representation.
    [Theory]
    [InlineData("bytes=0-499", 0, 499)]
    [InlineData("bytes=500-999", 500, 999)]
    [InlineData("bytes=-500", 9500, 9999)]
    [InlineData("bytes=9500-", 9500, 9999)]
    [InlineData("bytes=9500-20000", 9500, 9999)]
    [InlineData("bytes=-20000", 0, 9999)]
    public void Resolves_the_rfc_examples(string header, long from, long to) =>
        Assert.Equal(new ByteRange(from, to, true), ByteRange.Parse(header, 10_000));

    [Theory]
    [InlineData(null)]
    [InlineData("items=0-1")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=x-")]
    public void Ignores_what_it_cannot_serve_as_one_range(string? header) =>
        Assert.Null(ByteRange.Parse(header, 10_000));

    [Fact]
    public void A_range_starting_past_the_end_is_not_satisfiable()
    {
        Assert.False(ByteRange.Parse("bytes=10000-", 10_000)!.Satisfiable);
        Assert.False(ByteRange.Parse("bytes=-0", 10_000)!.Satisfiable);
    }
}
