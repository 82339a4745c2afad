using System.IO.Compression;
using Konvid.Core.Corpora;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Support;

/// <summary>One tiny sample origin (3 scenes x 4 variants) made once and shared by the sample corpus tests.</summary>
public sealed class CorporaSampleFixture : IAsyncLifetime
{
    private readonly TempDir _temp = new();

    public SampleOrigin Origin { get; private set; } = null!;

    public string Dir => _temp["sample-origin"];

    public async Task InitializeAsync() =>
        Origin = await SampleCorpus.EnsureAsync(Dir, SampleOptions.Tiny, NullProgress.Instance, CancellationToken.None);

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

public static class CorporaSample
{
    /// <summary>The repository's corpora/ folder, found from the test binaries upwards.</summary>
    public static string CatalogDir
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Konvid.sln"))) return Path.Combine(dir.FullName, "corpora");
            throw new InvalidOperationException("Konvid.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static List<string> EntryNames(string zipPath)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    public static string ReadText(string zipPath, string entry)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    public static async Task ExtractAsync(string zipPath, string entry, string target)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        await using var source = zip.GetEntry(entry)!.Open();
        await using var file = File.Create(target);
        await source.CopyToAsync(file);
    }

    /// <summary>A reporter that cancels a run once the named task has advanced <paramref name="after"/> times: a kill mid-way.</summary>
    public sealed class CancelAfter(string taskName, int after, CancellationTokenSource cts) : IProgressReporter
    {
        private int _count;

        public IProgressTask Start(string name, long total, string unit) => new Counter(name == taskName ? Step : null);

        public void Info(string line) { }

        public void Warn(string line) { }

        private void Step()
        {
            if (Interlocked.Increment(ref _count) >= after) cts.Cancel();
        }

        private sealed class Counter(Action? step) : IProgressTask
        {
            public void Advance(long amount = 1) => step?.Invoke();

            public void SetTotal(long total) { }

            public void Dispose() { }
        }
    }
}
