namespace Konvid.EndToEnd.Tests.Support;

/// <summary>A work directory of its own for one test, removed afterwards.</summary>
public sealed class TempWorkDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "konvid-e2e-" + Guid.NewGuid().ToString("N")[..10]);

    public TempWorkDir() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
