using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Workspace;

public class AtomicFileTests
{
    [Fact]
    public async Task A_write_that_fails_half_way_leaves_the_previous_file_and_no_temp()
    {
        using var dir = new TempDir();
        var path = dir["out.json"];
        await AtomicFile.WriteAllTextAsync(path, "old");

        await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(path, async (s, ct) =>
        {
            await s.WriteAsync("new but incomplete"u8.ToArray(), ct);
            throw new IOException("disk full");
        }));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Corpus_paths_that_escape_the_corpus_folder_are_refused()
    {
        var layout = new CorpusLayout("/tmp/w", "c");
        Assert.Equal("/tmp/w/c/clips/a.mp4", layout.Resolve("clips/a.mp4"));
        Assert.Throws<KonvidException>(() => layout.Resolve("../escape.mp4"));
        Assert.Throws<KonvidException>(() => layout.Resolve("/etc/passwd"));
        Assert.Throws<KonvidException>(() => layout.Resolve("clips/../../c2/x"));
    }
}
