namespace Konvid.Reliability.Tests.Support;

/// <summary>A fresh folder under /tmp, removed when the test ends.</summary>
public sealed class Scratch : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "konvid-rel-" + Guid.NewGuid().ToString("N")[..12]);

    public Scratch() => Directory.CreateDirectory(Path);

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Every file below the folder, relative and '/'-separated, sorted.</summary>
    public IReadOnlyList<string> Files() => Directory.Exists(Path)
        ? Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(Path, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList()
        : [];

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
