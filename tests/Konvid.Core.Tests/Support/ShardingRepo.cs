namespace Konvid.Core.Tests.Support;

/// <summary>Files of the checkout itself (deploy/), which the scale-out tests validate.</summary>
public static class ShardingRepo
{
    public static string Root { get; } = FindRoot();

    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Konvid.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Konvid.sln not found above " + AppContext.BaseDirectory);
    }
}
