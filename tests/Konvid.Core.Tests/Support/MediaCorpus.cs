using System.Security.Cryptography;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Support;

/// <summary>A corpus folder for Probe/Features tests: clips under clips/ and a manifest.sha256 listing them.</summary>
public sealed class MediaCorpus : IDisposable
{
    private readonly TempDir _dir = new();

    public MediaCorpus() => Directory.CreateDirectory(Layout.Clips);

    public CorpusLayout Layout => new(_dir.Path, "sample");

    public string ClipPath(string name) => Path.Combine(Layout.Clips, name);

    /// <summary>Makes a clip with ffmpeg from a lavfi source; <paramref name="extra"/> are output options (codec, filters).</summary>
    public Task<string> AddLavfiAsync(string name, string lavfi, double seconds, params string[] extra) =>
        Ffmpeg.MakeClipAsync(ClipPath(name), lavfi, seconds, extra);

    public string AddBytes(string name, byte[] bytes)
    {
        File.WriteAllBytes(ClipPath(name), bytes);
        return ClipPath(name);
    }

    /// <summary>Lists every file under clips/ in manifest.sha256, as Verify would.</summary>
    public async Task<IReadOnlyList<ManifestEntry>> WriteManifestAsync()
    {
        var entries = Directory.EnumerateFiles(Layout.Clips)
            .Select(p => new ManifestEntry(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))), "clips/" + Path.GetFileName(p)))
            .ToList();
        await Manifest.WriteAsync(Layout.Manifest, entries);
        return await Manifest.ReadAsync(Layout.Manifest);
    }

    public void Dispose() => _dir.Dispose();
}
