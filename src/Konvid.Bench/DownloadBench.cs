using Konvid.Core.Corpora;
using Konvid.Core.Download;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// Download against curl: one large file served by <see cref="LoopbackFileServer"/> on 127.0.0.1, fetched by curl and by
/// the Download stage from the same server. Download flushes its .part to disk before the rename, so curl's copy is
/// flushed too (<c>sync FILE</c>): both pay for the same durability.
/// </summary>
internal static class DownloadBench
{
    public const string Row = "Download vs curl (loopback)";

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var dir = context.Folder("download");
        var bytes = (context.Options.Quick ? 32L : 256L) << 20;
        var payload = await PayloadFile.EnsureAsync(Path.Combine(dir, "www", "payload.bin"), bytes, 1, ct);
        await using var server = LoopbackFileServer.Start(Path.GetDirectoryName(payload)!);
        var url = server.UrlOf("payload.bin");

        var curlOut = Path.Combine(dir, "curl", "payload.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(curlOut)!);
        var curl = await Sampled.RunAsync(context.Runs, _ => { File.Delete(curlOut); return Task.CompletedTask; }, async c =>
        {
            await BenchTool.RunAsync("curl", ["-sS", "--fail", "-o", curlOut, url.AbsoluteUri], c);
            await BenchTool.RunAsync("sync", [curlOut], c);
        }, ct);
        Check(curlOut, bytes, "curl");

        var layout = new CorpusLayout(Path.Combine(dir, "work"), "download");
        var catalog = new Catalog("download-bench", "1", "bench", "", [new CatalogSource("payload.bin", url.AbsoluteUri, SourceKind.File, null, null, null, false)],
            [], new LabelGuard(0, 0), new GateThresholds(0, 0, 0, 0), null);
        var options = new DownloadOptions { Jobs = context.Jobs, MaxAttempts = 1 };
        var ours = await Sampled.RunAsync(context.Runs, _ => { BenchContext.Clear(layout.Root); return Task.CompletedTask; },
            c => Downloader.RunAsync(layout, catalog, options, NullProgress.Instance, c), ct);
        Check(Path.Combine(layout.Downloads, "payload.bin"), bytes, "Download");

        context.Log.Rows.Add(new BenchRow($"{Row}, {bytes >> 20} MiB",
            new Measured("curl -o + sync", curl.Wall, bytes, "B"),
            new Measured("Download", ours.Wall, bytes, "B"),
            new RatioAtLeast(0.8)));
        BenchContext.Clear(layout.Root);
        File.Delete(curlOut);
    }

    private static void Check(string path, long bytes, string who)
    {
        if (!File.Exists(path) || new FileInfo(path).Length != bytes)
            throw new KonvidException($"Bench: {who} did not fetch all {bytes} bytes into {path}", "the Download benchmark is broken; run it alone to see why");
    }
}
