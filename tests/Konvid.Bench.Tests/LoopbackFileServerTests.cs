using CliWrap;
using CliWrap.Buffered;
using Konvid.Testing;

namespace Konvid.Bench.Tests;

public class LoopbackFileServerTests
{
    private static async Task<(int Status, byte[] Body)> CurlAsync(TempDir dir, Uri url, params string[] extra)
    {
        var output = dir[$"out-{Guid.NewGuid():N}"];
        var result = await Cli.Wrap("curl").WithArguments(["-s", "-o", output, "-w", "%{http_code}", .. extra, url.AbsoluteUri])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        return (int.Parse(result.StandardOutput), File.Exists(output) ? await File.ReadAllBytesAsync(output) : []);
    }

    [Fact]
    public async Task Serves_byte_ranges_exactly_as_curl_asks_for_them()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["www"]);
        var content = new byte[1_000_003];
        new Random(7).NextBytes(content);
        await File.WriteAllBytesAsync(dir["www/clip 1.bin"], content);
        await using var server = LoopbackFileServer.Start(dir["www"]);
        var url = server.UrlOf("clip 1.bin");

        var whole = await CurlAsync(dir, url);
        Assert.Equal(200, whole.Status);
        Assert.Equal(content, whole.Body);

        var middle = await CurlAsync(dir, url, "-r", "100-199");
        Assert.Equal(206, middle.Status);
        Assert.Equal(content[100..200], middle.Body);

        var open = await CurlAsync(dir, url, "-r", "999990-");
        Assert.Equal(206, open.Status);
        Assert.Equal(content[999_990..], open.Body);

        var suffix = await CurlAsync(dir, url, "-r", "-5");
        Assert.Equal(206, suffix.Status);
        Assert.Equal(content[^5..], suffix.Body);

        var clipped = await CurlAsync(dir, url, "-r", "1000000-2000000");
        Assert.Equal(206, clipped.Status);
        Assert.Equal(content[1_000_000..], clipped.Body);
    }

    [Fact]
    public async Task Refuses_ranges_past_the_end_and_unknown_files()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["www"]);
        await File.WriteAllBytesAsync(dir["www/a.bin"], new byte[10]);
        await File.WriteAllBytesAsync(dir["secret.bin"], new byte[10]);
        await using var server = LoopbackFileServer.Start(dir["www"]);

        Assert.Equal(416, (await CurlAsync(dir, server.UrlOf("a.bin"), "-r", "10-")).Status);
        Assert.Equal(404, (await CurlAsync(dir, server.UrlOf("missing.bin"))).Status);
        Assert.Equal(404, (await CurlAsync(dir, new Uri(server.BaseUri, "%2e%2e/secret.bin"), "--path-as-is")).Status);
    }

    [Fact]
    public async Task Keeps_the_connection_open_for_several_requests()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["www"]);
        var content = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        await File.WriteAllBytesAsync(dir["www/a.bin"], content);
        await using var server = LoopbackFileServer.Start(dir["www"]);
        var url = server.UrlOf("a.bin").AbsoluteUri;

        // Two URLs in one curl call reuse the connection; -v reports the reuse on stderr.
        var result = await Cli.Wrap("curl").WithArguments(["-sv", "-o", dir["one"], "-o", dir["two"], url, url]).ExecuteBufferedAsync();
        Assert.Contains("Re-using existing connection", result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(content, await File.ReadAllBytesAsync(dir["one"]));
        Assert.Equal(content, await File.ReadAllBytesAsync(dir["two"]));
        Assert.Equal(2 * content.Length, server.BytesServed);
    }
}
