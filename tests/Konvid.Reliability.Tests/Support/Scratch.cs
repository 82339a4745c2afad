namespace Konvid.Reliability.Tests.Support;

/// <summary>A fresh folder under /tmp, removed when the test ends.</summary>
public sealed class Scratch : IDisposable
{
    public Scratch(string? under = null)
    {
        Path = System.IO.Path.Combine(under ?? System.IO.Path.GetTempPath(), "konvid-rel-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>A folder in memory (/dev/shm) where the machine has one, for gigabytes that need not touch a shared disk.</summary>
    public static Scratch InMemory() => new(Directory.Exists("/dev/shm") ? "/dev/shm" : null);

    public string Path { get; }

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
