using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Workspace;

public class DiskUseTests
{
    [Fact]
    public async Task Each_folder_and_top_level_file_sums_what_find_reports()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var files = new (string Path, int Bytes)[]
        {
            ("clips/KoNViD_1k_videos/1.mp4", 2_500_000), ("clips/KoNViD_1k_videos/2.mp4", 1_200_000), ("clips/3.mp4", 10),
            ("downloads/videos.zip.extracted.json", 300), ("features/ab/ab12.nr-v1.json", 4_000), ("features/cd/cd34.nr-v1.json", 4_100),
            ("c.jsonl", 1_100_000), ("manifest.sha256", 200),
        };
        foreach (var (path, bytes) in files)
        {
            var full = Path.Combine(layout.Root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, new byte[bytes]);
        }
        Directory.CreateDirectory(layout.Quarantine);

        var use = DiskUse.Measure(layout)!;

        foreach (var part in use.Parts)
            Assert.Equal(await FindBytesAsync(Path.Combine(layout.Root, part.Name.TrimEnd('/'))), part.Bytes);
        Assert.Equal(await FindBytesAsync(layout.Root), use.Bytes);
        Assert.Equal(["clips/", "c.jsonl", "features/", "downloads/", "manifest.sha256", "quarantine/"], use.Parts.Select(p => p.Name));
        Assert.Equal(3, use.Parts[0].Files);
        Assert.Equal("Disk: c holds 4.8 MB: clips/ 3.7 MB (3 files), c.jsonl 1.1 MB, other 8.6 kB", use.Line());
        Assert.Null(DiskUse.Measure(new CorpusLayout(dir.Path, "absent")));
    }

    [Fact]
    public async Task A_no_op_run_repeats_the_line_of_the_last_run_that_acted_instead_of_listing_the_corpus_again()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        Directory.CreateDirectory(layout.Clips);
        await File.WriteAllBytesAsync(Path.Combine(layout.Clips, "1.mp4"), new byte[2_000_000]);

        var first = DiskUse.Report(layout, acted: true);
        await File.WriteAllBytesAsync(Path.Combine(layout.Clips, "2.mp4"), new byte[3_000_000]);

        Assert.Equal("Disk: c holds 2.0 MB: clips/ 2.0 MB", first);
        Assert.Equal(first, DiskUse.Report(layout, acted: false));
        Assert.StartsWith("Disk: c holds 5.0 MB: clips/ 5.0 MB (2 files)", DiskUse.Report(layout, acted: true));
    }

    /// <summary>The oracle: GNU find's apparent sizes of every regular file below <paramref name="path"/>.</summary>
    private static async Task<long> FindBytesAsync(string path)
    {
        var result = await Cli.Wrap("find").WithArguments([path, "-type", "f", "-printf", "%s\n"]).ExecuteBufferedAsync();
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Sum(s => long.Parse(s, CultureInfo.InvariantCulture));
    }
}
