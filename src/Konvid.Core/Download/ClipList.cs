using Konvid.Core.Workspace;

namespace Konvid.Core.Download;

/// <summary>One row of a per-clip URL list: the clip's file name and where to fetch it, or why the row is unusable.</summary>
internal sealed record ClipRow(string FileName, Uri? Url, string? Problem);

/// <summary>
/// A per-clip URL list (manifest.csv): <c>file_name,url,...</c>, or the aliases <c>video_name</c> for the name and
/// <c>download_url</c>/<c>video_url</c> for the URL; the header is matched case-insensitively and other columns
/// (MOS, SD, ...) are ignored. A row without a file name takes it from its URL.
/// </summary>
internal static class ClipList
{
    private static readonly string[] NameColumns = ["file_name", "filename", "video_name"];
    private static readonly string[] UrlColumns = ["url", "download_url", "video_url"];

    public static async Task<IReadOnlyList<ClipRow>> ReadAsync(string path, Uri listUri, CancellationToken ct)
    {
        var records = new List<CsvRecord>();
        await foreach (var record in CsvRecordReader.ReadAsync(path, ct)) records.Add(record);
        var header = records.Count > 0 ? records[0].Fields : [];
        var columns = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var urlAt = columns.FindIndex(c => UrlColumns.Contains(c));
        var nameAt = columns.FindIndex(c => NameColumns.Contains(c));
        if (urlAt < 0)
            throw new KonvidException($"Download: clip list {Path.GetFileName(path)} has no url column (header: '{string.Join(",", header)}')",
                $"the list needs a header naming one of {string.Join(", ", UrlColumns)} (and optionally {string.Join(", ", NameColumns)})");

        var rows = new List<ClipRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, fields) in records.Skip(1))
        {
            var url = urlAt < fields.Count ? fields[urlAt].Trim() : "";
            var uri = url.Length == 0 ? null : SourceLocator.Clip(listUri, url);
            var name = nameAt >= 0 && nameAt < fields.Count && fields[nameAt].Trim() is { Length: > 0 } n
                ? n
                : uri is null ? "" : SourceLocator.FileName(uri);
            var id = name.Length > 0 ? name : $"{Path.GetFileName(path)}:{line}";
            string? problem = null;
            if (!IsPlainFileName(name)) problem = $"unusable file name '{name}' in the clip list (line {line})";
            else if (uri is null) problem = $"no usable url '{url}' in the clip list (line {line})";
            else if (!SourceLocator.IsSupported(uri)) problem = $"unsupported URL scheme '{uri.Scheme}' in {uri}";
            if (problem is null && !seen.Add(name)) continue; // the same clip listed twice is fetched once
            rows.Add(new ClipRow(id, problem is null ? uri : null, problem));
        }
        return rows;
    }

    /// <summary>Clip names become paths under clips/: no folders, no '..', nothing hidden.</summary>
    private static bool IsPlainFileName(string name) =>
        name.Length > 0 && !name.StartsWith('.') && name.IndexOfAny(['/', '\\', '\0', ':']) < 0;
}
