using Konvid.Core.Probe;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Workspace;

/// <summary>A parse kept for the next reader is handed out only while the file's bytes are the ones it was parsed from.</summary>
public class ParsedFilesTests
{
    private static string Sha(char c) => new(c, 64);

    [Fact]
    public async Task A_manifest_rewritten_with_the_same_size_reads_as_its_new_content()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "manifest.sha256");
        await Manifest.WriteAsync(path, [new ManifestEntry(Sha('a'), "clips/a.mp4"), new ManifestEntry(Sha('b'), "clips/b.mp4")]);
        Assert.Equal(Sha('a'), (await Manifest.ReadAsync(path))[0].Sha256);

        // Same length, same mtime second: only the bytes tell the two apart.
        var mtime = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, $"{Sha('c')}  clips/a.mp4\n{Sha('b')}  clips/b.mp4\n");
        File.SetLastWriteTimeUtc(path, mtime);
        Assert.Equal([Sha('c'), Sha('b')], (await Manifest.ReadAsync(path)).Select(e => e.Sha256));
    }

    [Fact]
    public async Task Probe_results_appended_or_rewritten_since_the_last_read_are_read()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        await using (var probes = await ProbeStore.OpenAppendAsync(layout, Shard.All))
        {
            await probes.AppendAsync(new ProbeResult("a.mp4", Sha('a'), 10, 96, 54));
            await probes.AppendAsync(new ProbeResult("b.mp4", Sha('b'), 10, 96, 54));
        }
        Assert.Equal(2, (await ProbeStore.ReadAllAsync(layout)).Count);

        await using (var probes = await ProbeStore.OpenAppendAsync(layout, Shard.All))
            await probes.AppendAsync(new ProbeResult("c.mp4", Sha('c'), 10, 96, 54));
        Assert.Equal(["a.mp4", "b.mp4", "c.mp4"], (await ProbeStore.ReadAllAsync(layout)).Values.Select(p => p.Src).Order());

        // An earlier line changed in place (width 96 -> 97): the kept lines no longer match, so all are read again.
        var text = File.ReadAllText(layout.ProbeJsonl);
        File.WriteAllText(layout.ProbeJsonl, text.Replace("\"width\":96", "\"width\":97"));
        Assert.All((await ProbeStore.ReadAllAsync(layout)).Values, p => Assert.Equal(97, p.Width));

        // A last line without its newline is read, as before, and not kept as a complete one.
        File.AppendAllText(layout.ProbeJsonl, ProbeStore.Serialize(new ProbeResult("d.mp4", Sha('d'), 10, 96, 54)));
        Assert.Equal(4, (await ProbeStore.ReadAllAsync(layout)).Count);
        File.AppendAllText(layout.ProbeJsonl, "\n");
        Assert.Equal(4, (await ProbeStore.ReadAllAsync(layout)).Count);
    }
}
