using CliWrap;
using CliWrap.Buffered;
using Konvid.Core.Download;
using Konvid.Core.Tests.Support;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;
using Konvid.Testing;
using static Konvid.Testing.DownloadFixtures;

namespace Konvid.Core.Tests.Verify;

public class VerifierTests
{
    private static readonly VerifyOptions Options = new() { Jobs = 2 };

    /// <summary>Writes clips with mtimes well in the past, as a finished download leaves them.</summary>
    private static async Task<CorpusLayout> CorpusAsync(TempDir dir, int count)
    {
        var layout = new CorpusLayout(dir.Path, "c");
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(layout.Clips, i % 2 == 0 ? "KoNViD_1k_videos" : "", $"{i}.mp4");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, Body(1000 + 37 * i, i));
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        }
        return layout;
    }

    [Fact]
    public async Task The_manifest_is_accepted_by_sha256sum_and_matches_its_digests()
    {
        using var dir = new TempDir();
        var layout = await CorpusAsync(dir, 6);
        // Leftovers of interrupted writes are not clips.
        await File.WriteAllTextAsync(Path.Combine(layout.Clips, ".5.mp4.123.abc" + AtomicFile.TempSuffix), "half");
        await File.WriteAllTextAsync(Path.Combine(layout.Clips, "7.mp4.part"), "half");

        var report = await Verifier.RunAsync(layout, Options, NullProgress.Instance, CancellationToken.None);

        Assert.Equal(6, report.Clips);
        Assert.Equal(6, report.Added);
        var check = await Cli.Wrap("sha256sum").WithArguments(["-c", "--strict", "manifest.sha256"]).WithWorkingDirectory(layout.Root)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
        Assert.Equal(6, check.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(": OK")));
        // sha256sum as the oracle for the digests themselves.
        var oracle = await Cli.Wrap("sha256sum").WithArguments(["clips/KoNViD_1k_videos/0.mp4", "clips/1.mp4"]).WithWorkingDirectory(layout.Root)
            .ExecuteBufferedAsync();
        var manifest = await File.ReadAllTextAsync(layout.Manifest);
        foreach (var line in oracle.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.Contains(line + "\n", manifest);
    }

    [Fact]
    public async Task A_reverify_hashes_only_files_whose_size_or_mtime_changed()
    {
        using var dir = new TempDir();
        var layout = await CorpusAsync(dir, 10);
        var first = await Verifier.RunAsync(layout, Options, NullProgress.Instance, CancellationToken.None);
        Assert.Equal(10, first.Hashed);

        var second = await Verifier.RunAsync(layout, Options, NullProgress.Instance, CancellationToken.None);
        Assert.Equal(0, second.Hashed);
        Assert.Equal(10, second.Unchanged);
        Assert.Equal(0L, second.BytesHashed);

        var touched = Path.Combine(layout.Clips, "3.mp4");
        File.SetLastWriteTimeUtc(touched, DateTime.UtcNow.AddMinutes(-30));
        var third = await Verifier.RunAsync(layout, Options, NullProgress.Instance, CancellationToken.None);
        Assert.Equal(1, third.Hashed);
        Assert.Equal(new FileInfo(touched).Length, third.BytesHashed);
    }

    [Fact]
    public async Task A_clip_that_differs_from_an_external_manifest_is_quarantined_and_one_listed_but_absent_is_attrition()
    {
        using var dir = new TempDir();
        var layout = await CorpusAsync(dir, 3);
        var external = dir["published.sha256"];
        // Paths relative to clips/, as a corpus might publish them.
        await File.WriteAllTextAsync(external,
            $"{new string('a', 64)}  KoNViD_1k_videos/0.mp4\n"
            + $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Body(1037, 1)))}  1.mp4\n"
            + $"{new string('b', 64)}  gone.mp4\n");

        var report = await Verifier.RunAsync(layout, Options with { ExternalManifest = external }, NullProgress.Instance, CancellationToken.None);

        Assert.Equal(1, report.Quarantined);
        Assert.Equal(1, report.Missing);
        Assert.Equal(1, report.Added); // 2.mp4 was not in the published manifest
        Assert.False(File.Exists(Path.Combine(layout.Clips, "KoNViD_1k_videos", "0.mp4")));
        Assert.Equal(Body(1000, 0), await File.ReadAllBytesAsync(Path.Combine(layout.Quarantine, "KoNViD_1k_videos", "0.mp4")));
        var lost = (await AttritionLedger.ReadAllAsync(layout)).ToDictionary(e => e.Id, e => e);
        Assert.Equal(Stage.Verify, lost["0.mp4"].Stage);
        Assert.Contains("quarantine", lost["0.mp4"].Reason);
        Assert.Contains("missing", lost["gone.mp4"].Reason);
        var manifest = await Manifest.ReadAsync(layout.Manifest);
        Assert.Equal(["clips/1.mp4", "clips/KoNViD_1k_videos/0.mp4", "clips/KoNViD_1k_videos/2.mp4", "clips/gone.mp4"],
            manifest.Select(e => e.RelativePath));
        Assert.Equal(new string('a', 64), manifest.Single(e => e.ClipId == "0.mp4").Sha256);
    }

    [Fact]
    public async Task A_corrupted_clip_is_quarantined_restored_by_the_next_download_and_then_verifies()
    {
        await using var server = await FaultServer.StartAsync();
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        var lines = new List<string> { "file_name,url" };
        for (var i = 0; i < 5; i++)
        {
            server.Serve($"{i}.mp4", Body(4096, i));
            lines.Add($"{i}.mp4,{i}.mp4");
        }
        server.Serve("list.csv", Csv([.. lines]));
        var catalog = Catalog(ClipList("list.csv", server.Url("list.csv").ToString()));
        await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        await Verifier.RunAsync(layout, Options, NullProgress.Instance, CancellationToken.None);

        // One byte flipped after the manifest entry was written (mtime kept fresh: no help from size or time).
        var victim = Path.Combine(layout.Clips, "2.mp4");
        var bytes = await File.ReadAllBytesAsync(victim);
        bytes[1234] ^= 0x01;
        await File.WriteAllBytesAsync(victim, bytes);

        var caught = await Verifier.RunAsync(layout, Options, NullProgress.Instance, CancellationToken.None);
        Assert.Equal(1, caught.Quarantined);
        Assert.False(File.Exists(victim));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(layout.Quarantine, "2.mp4")));
        Assert.Equal("2.mp4", Assert.Single(await AttritionLedger.ReadAllAsync(layout)).Id);

        server.ClearLog();
        await Downloader.RunAsync(layout, catalog, Quick(stallSeconds: 5), NullProgress.Instance, CancellationToken.None);
        Assert.Equal(["/2.mp4"], server.Requests.Select(r => r.Path));

        var passed = await Verifier.RunAsync(layout, Options, NullProgress.Instance, CancellationToken.None);
        Assert.Equal(0, passed.Quarantined);
        Assert.Equal(0, passed.Missing);
        Assert.Equal(5, passed.Clips);
        Assert.Empty(await AttritionLedger.ReadAllAsync(layout));
        var check = await Cli.Wrap("sha256sum").WithArguments(["-c", "manifest.sha256"]).WithWorkingDirectory(layout.Root)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.Equal(0, check.ExitCode);
    }
}
