using Konvid.Core.Verify;
using Konvid.Core.Workspace;

namespace Konvid.Bench;

/// <summary>
/// Verify against sha256sum over the same files: sha256sum at Verify's parallelism (<c>xargs -P jobs</c>, the files
/// split evenly between the processes), and a single sha256sum process for reference. Verify's manifest and state are
/// removed before each run so every file is really hashed.
/// </summary>
internal static class VerifyBench
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var dir = context.Folder("verify");
        var (count, size) = context.Options.Quick ? (8, 2L << 20) : (32, 8L << 20);
        var layout = new CorpusLayout(dir, "corpus");
        Directory.CreateDirectory(layout.Clips);
        var wanted = Enumerable.Range(0, count).Select(i => Path.Combine(layout.Clips, $"clip-{i:D3}.bin")).ToList();
        // A previous run of the other mode may have left more files than this one hashes.
        foreach (var stale in Directory.EnumerateFiles(layout.Clips).Except(wanted)) File.Delete(stale);
        var files = new List<string>();
        for (var i = 0; i < count; i++) files.Add(await PayloadFile.EnsureAsync(wanted[i], size, 100 + i, ct));
        var bytes = count * size;
        var relative = files.Select(f => Path.GetRelativePath(layout.Root, f)).ToList();
        var perProcess = (count + context.Jobs - 1) / context.Jobs;
        var list = Path.Combine(dir, "files.txt");
        await File.WriteAllLinesAsync(list, relative, ct);

        var parallel = await Sampled.RunAsync(context.Runs, null, c => BenchTool.RunAsync("xargs",
            ["-a", list, "-P", context.Jobs.ToString(System.Globalization.CultureInfo.InvariantCulture), "-n", perProcess.ToString(System.Globalization.CultureInfo.InvariantCulture), "sha256sum"],
            c, layout.Root), ct);
        var single = await Sampled.RunAsync(context.Runs, null, c => BenchTool.RunAsync("sha256sum", relative, c, layout.Root), ct);
        var ours = await Sampled.RunAsync(context.Runs, _ =>
        {
            File.Delete(layout.Manifest);
            File.Delete(Path.Combine(layout.Root, ".verify-state.json"));
            return Task.CompletedTask;
        }, async c =>
        {
            var report = await Verifier.RunAsync(layout, new VerifyOptions { Jobs = context.Jobs }, NullProgress.Instance, c);
            if (report.Hashed != count)
                throw new KonvidException($"Bench: Verify hashed {report.Hashed} of {count} files", "the Verify benchmark is broken: every file must be hashed on each run");
        }, ct);

        var what = $"{count} files, {bytes >> 20} MiB";
        context.Log.Rows.Add(new BenchRow($"Verify vs sha256sum, {what}, --jobs {context.Jobs}",
            new Measured($"xargs -P {context.Jobs} sha256sum", parallel.Wall, bytes, "B"),
            new Measured("Verify", ours.Wall, bytes, "B"),
            new RatioAtLeast(0.9)));
        context.Log.Rows.Add(new BenchRow($"Verify vs one sha256sum process, {what}",
            new Measured("sha256sum (1 process)", single.Wall, bytes, "B"),
            new Measured("Verify", ours.Wall, bytes, "B"),
            null, "for reference: what parallel hashing gains on this machine"));
    }
}
