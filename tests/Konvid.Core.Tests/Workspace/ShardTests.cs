using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Workspace;

public class ShardTests
{
    [Fact]
    public void Every_clip_belongs_to_exactly_one_shard_for_every_shard_count()
    {
        var ids = Enumerable.Range(0, 2000).Select(i => $"orig_{i * 7919}_540_5s.mp4").ToList();
        foreach (var n in new[] { 1, 2, 3, 5, 8, 13, 64 })
        {
            var owners = ids.Select(id => Enumerable.Range(0, n).Count(i => new Shard(i, n).Contains(id))).ToList();
            Assert.All(owners, o => Assert.Equal(1, o));
            if (n > 1)
            {
                var sizes = Enumerable.Range(0, n).Select(i => ids.Count(id => new Shard(i, n).Contains(id))).ToList();
                Assert.True(sizes.Min() > 0, $"N={n}: an empty shard means the hash does not spread ids");
            }
        }
    }

    [Fact]
    public void Assignment_is_a_fixed_function_of_the_id()
    {
        // SHA-256("a.mp4") starts with these bytes on any machine; a runtime-seeded hash would move clips between runs.
        Assert.Equal(Convert.ToUInt64("0x" + string.Concat(System.Security.Cryptography.SHA256.HashData("a.mp4"u8)[..8].Reverse().Select(b => b.ToString("x2"))), 16),
            Shard.StableHash("a.mp4"));
    }

    [Theory]
    [InlineData("2/1")]
    [InlineData("-1/4")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void Bad_shard_text_is_a_clear_error(string text) =>
        Assert.Contains("--shard", Assert.Throws<KonvidException>(() => Shard.Parse(text)).Message);
}
