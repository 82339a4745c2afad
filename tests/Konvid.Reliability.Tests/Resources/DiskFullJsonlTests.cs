using System.Text.RegularExpressions;
using Konvid.Reliability.Tests.Hostile;
using Konvid.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Konvid.Reliability.Tests.Resources;

public class DiskFullJsonlTests(DownloadedSample sample, ITestOutputHelper output) : IClassFixture<DownloadedSample>
{
    [TmpfsFact]
    public async Task A_disk_that_fills_up_during_Jsonl_stops_it_with_a_one_line_error_no_corpus_file_and_a_rerun_after_freeing_space_completes()
    {
        using var dir = new Scratch();
        var reference = sample.CopyTo(dir["reference"]);
        await SamplePipeline.RunAsync("Jsonl", reference);
        using var disk = Tmpfs.Mount(dir["full"], "size=8m");
        var work = sample.CopyTo(disk.Path);
        await SamplePipeline.RunAsync("Features", work);
        // Leave a few kilobytes: the corpus file (~20 KB for the tiny sample) cannot be written.
        var filler = Path.Combine(work, "filler.bin");
        var free = new DriveInfo(work).AvailableFreeSpace;
        await File.WriteAllBytesAsync(filler, new byte[free - 8 * 1024]);

        var full = await KonvidProcess.RunAsync(SamplePipeline.Args("Jsonl", work), SamplePipeline.Env);

        output.WriteLine(full.Output);
        Assert.Equal(1, full.ExitCode);
        Assert.Contains("No space left on device", full.Output);
        Assert.DoesNotContain("   at ", full.Output);
        Assert.False(File.Exists(Path.Combine(work, "sample", "sample.jsonl")), "a corpus file was left by a run that could not finish");
        Assert.False(File.Exists(Path.Combine(work, "sample", ".targets", "Jsonl.json")));

        File.Delete(filler);
        var rerun = await KonvidProcess.RunAsync(SamplePipeline.Args("Jsonl", work), SamplePipeline.Env);

        Assert.True(rerun.ExitCode == 0, rerun.Output);
        Assert.Equal(Normalised(Path.Combine(reference, "sample", "sample.jsonl")), Normalised(Path.Combine(work, "sample", "sample.jsonl")));
        Assert.Empty(WorkSnapshot.Take(work).Leftovers);
    }

    private static string Normalised(string jsonl) =>
        Regex.Replace(File.ReadAllText(jsonl), "\"ingested_at_utc\":\"[^\"]*\"", "\"ingested_at_utc\":\"-\"");
}
