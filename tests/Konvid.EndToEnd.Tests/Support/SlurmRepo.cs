namespace Konvid.EndToEnd.Tests.Support;

/// <summary>The checkout the tests run from: deploy/ templates, build.sh and the built build project.</summary>
public static class SlurmRepo
{
    public static string Root { get; } = FindRoot();

    public static string File(string relative) => Path.Combine(Root, relative);

    /// <summary>What ./build.sh builds and runs; array tasks run it directly so they never build concurrently.</summary>
    public static string BuildDll => File("build/bin/Release/net10.0/_build.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Konvid.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Konvid.sln not found above " + AppContext.BaseDirectory);
    }
}
