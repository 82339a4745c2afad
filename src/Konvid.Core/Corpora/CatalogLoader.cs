using Konvid.Core.Workspace;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Konvid.Core.Corpora;

/// <summary>Reads corpora/*.yaml; a bad catalog is one line naming the file and key.</summary>
public static class CatalogLoader
{
    public static Catalog Load(string catalogDir, string corpus)
    {
        var path = Path.Combine(catalogDir, corpus + ".yaml");
        if (!File.Exists(path))
        {
            var known = Directory.Exists(catalogDir)
                ? string.Join(", ", Directory.EnumerateFiles(catalogDir, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order())
                : "none";
            throw new KonvidException($"unknown corpus '{corpus}': no {path}", $"use --corpus with one of: {known}");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static Catalog Parse(string yaml, string origin)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw Bad(origin, $"line {e.Start.Line}", e.Message); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw Bad(origin, "(root)", "expected a mapping");

        var sources = Seq(root, "sources", origin).Select((n, i) => Source(n, $"sources[{i}]", origin)).ToList();
        var scores = Seq(root, "scores", origin).Select((n, i) =>
        {
            var key = $"scores[{i}]";
            var m = Map(n, key, origin);
            return new ScoreFile(SafeRelative(Req(m, "path", key, origin), $"{key}.path", origin),
                Opt(m, "layout") ?? "auto", Opt(m, "votes") is { } v ? SafeRelative(v, $"{key}.votes", origin) : null);
        }).ToList();
        var labels = Map(Child(root, "labels", origin), "labels", origin);
        var gate = Map(Child(root, "gate", origin), "gate", origin);
        return new Catalog(
            Req(root, "name", "", origin),
            Req(root, "version", "", origin),
            Req(root, "licence", "", origin),
            Opt(root, "landing_page") ?? "",
            sources,
            scores,
            new LabelGuard(Int(labels, "min", "labels", origin), Int(labels, "max", "labels", origin)),
            new GateThresholds(
                Num(gate, "plcc_min", "gate", origin), Num(gate, "srocc_min", "gate", origin),
                Num(gate, "rmse_max", "gate", origin), Num(gate, "plcc_spread_max", "gate", origin)),
            Opt(root, "registry"));
    }

    private static CatalogSource Source(YamlNode node, string key, string origin)
    {
        var m = Map(node, key, origin);
        var kindText = Req(m, "kind", key, origin);
        var kind = kindText switch
        {
            "archive" => SourceKind.Archive,
            "file" => SourceKind.File,
            "clip-list" => SourceKind.ClipList,
            _ => throw Bad(origin, $"{key}.kind", $"'{kindText}' is not one of archive, file, clip-list"),
        };
        var url = Req(m, "url", key, origin);
        var name = Opt(m, "name") ?? System.IO.Path.GetFileName(new Uri(url, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(url).AbsolutePath : url);
        var unpack = Opt(m, "unpack_to") is { } u ? SafeRelative(u, $"{key}.unpack_to", origin) : null;
        var saveAs = Opt(m, "save_as") is { } s ? SafeRelative(s, $"{key}.save_as", origin) : null;
        if (kind == SourceKind.Archive && unpack is null) throw Bad(origin, $"{key}.unpack_to", "an archive needs unpack_to");
        return new CatalogSource(name, url, kind, unpack, saveAs, Opt(m, "sha256"), Opt(m, "optional") == "true");
    }

    /// <summary>Catalog paths stay inside the corpus folder: no absolute paths, no '..' segments.</summary>
    private static string SafeRelative(string path, string key, string origin)
    {
        var segments = path.Replace('\\', '/').Split('/');
        if (System.IO.Path.IsPathRooted(path) || path.StartsWith('/') || segments.Contains(".."))
            throw Bad(origin, key, $"'{path}' escapes the corpus folder; use a relative path without '..'");
        return path;
    }

    private static KonvidException Bad(string origin, string key, string why) =>
        new($"catalog {origin}: {key}: {why}", "fix the catalog entry (see corpora/konvid-1k.yaml for a complete example)");

    private static YamlNode Child(YamlMappingNode m, string key, string origin) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n) ? n : throw Bad(origin, key, "missing");

    private static YamlMappingNode Map(YamlNode n, string key, string origin) =>
        n as YamlMappingNode ?? throw Bad(origin, key, "expected a mapping");

    private static IEnumerable<YamlNode> Seq(YamlMappingNode m, string key, string origin) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n)
            ? (n as YamlSequenceNode ?? throw Bad(origin, key, "expected a list")).Children
            : [];

    private static string? Opt(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode { Value: { Length: > 0 } v } ? v : null;

    private static string Req(YamlMappingNode m, string key, string parent, string origin) =>
        Opt(m, key) ?? throw Bad(origin, parent.Length == 0 ? key : $"{parent}.{key}", "missing");

    private static double Num(YamlMappingNode m, string key, string parent, string origin) =>
        double.TryParse(Req(m, key, parent, origin), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? d : throw Bad(origin, $"{parent}.{key}", "expected a number");

    private static int Int(YamlMappingNode m, string key, string parent, string origin) =>
        int.TryParse(Req(m, key, parent, origin), out var i) ? i : throw Bad(origin, $"{parent}.{key}", "expected an integer");
}
