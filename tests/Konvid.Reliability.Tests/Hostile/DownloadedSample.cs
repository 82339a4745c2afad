using System.Diagnostics;
using Konvid.Reliability.Tests.Support;

namespace Konvid.Reliability.Tests.Hostile;

/// <summary>The tiny sample after Download, made once per test class; each test works on its own copy (mtimes kept, so nothing re-runs needlessly).</summary>
public sealed class DownloadedSample : IAsyncLifetime
{
    private readonly Scratch _dir = new();

    public string Clips => Path.Combine(_dir.Path, "sample", "clips", "KoNViD_1k_videos");

    public async Task InitializeAsync() => await SamplePipeline.RunAsync("Download", _dir.Path);

    /// <summary>A fresh copy of the downloaded work dir under <paramref name="into"/>.</summary>
    public string CopyTo(string into)
    {
        Directory.CreateDirectory(into);
        var cp = Process.Start("cp", ["-a", _dir.Path + "/.", into])!;
        cp.WaitForExit();
        if (cp.ExitCode != 0) throw new InvalidOperationException("cp -a failed");
        return into;
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
