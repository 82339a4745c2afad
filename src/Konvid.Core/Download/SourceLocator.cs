using Konvid.Core.Corpora;
using Konvid.Core.Workspace;

namespace Konvid.Core.Download;

/// <summary>
/// Where a catalog source is fetched from. A mirror replaces the catalog's location: the source comes from mirror +
/// its file name; a relative catalog URL is resolved against the mirror and cannot be fetched without one.
/// </summary>
internal static class SourceLocator
{
    public static Uri Locate(CatalogSource source, Uri? mirror)
    {
        var absolute = TryAbsolute(source.Url);
        if (mirror is not null)
            return absolute is null
                ? Supported(new Uri(mirror, source.Url.TrimStart('/')), $"source {source.Name}")
                : new Uri(mirror, Uri.EscapeDataString(FileName(absolute)));
        if (absolute is null)
            throw new KonvidException($"Download: {source.Name}: url '{source.Url}' is relative and no mirror was given",
                "pass --mirror URL (http(s):// or file://) or give the catalog entry an absolute url");
        return Supported(absolute, $"source {source.Name}");
    }

    /// <summary>Parses --mirror into a base that ends with '/', so file names append to it.</summary>
    public static Uri? Mirror(string? mirror)
    {
        if (string.IsNullOrWhiteSpace(mirror)) return null;
        var uri = Path.IsPathRooted(mirror) ? new Uri(Path.GetFullPath(mirror)) : TryAbsolute(mirror)
            ?? throw new KonvidException($"Download: mirror '{mirror}' is not an absolute URL",
                "pass --mirror as http(s)://host/path/ or file:///absolute/path/");
        Supported(uri, "mirror");
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    /// <summary>A clip URL from a per-clip list: absolute as given, relative to the list's own location otherwise.</summary>
    public static Uri? Clip(Uri list, string url) =>
        TryAbsolute(url) is { } abs ? abs : Uri.TryCreate(list, url, out var rel) ? rel : null;

    public static bool IsSupported(Uri uri) => uri.Scheme is "http" or "https" or "file";

    public static string FileName(Uri uri) => Path.GetFileName(Uri.UnescapeDataString(uri.AbsolutePath));

    private static Uri Supported(Uri uri, string what) => IsSupported(uri)
        ? uri
        : throw new KonvidException($"Download: {what}: unsupported URL scheme '{uri.Scheme}' in {uri}",
            "use http://, https:// or file:// (the catalog entry or --mirror)");

    private static Uri? TryAbsolute(string url) =>
        !url.StartsWith('/') && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
}
