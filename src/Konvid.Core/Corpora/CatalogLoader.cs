using System.Globalization;
using Konvid.Core.Workspace;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Konvid.Core.Corpora;

/// <summary>Reads corpora/*.yaml; a bad catalog is one line naming the file and key.</summary>
public static class CatalogLoader
{
    // Unknown keys are errors: a misspelt "source:" or "optinal:" would otherwise be dropped without a word.
    private static readonly string[] RootKeys = ["name", "version", "licence", "landing_page", "sources", "scores", "labels", "max_loss", "gate", "registry"];
    private static readonly string[] SourceKeys = ["name", "url", "kind", "unpack_to", "save_as", "sha256", "optional"];
    private static readonly string[] ScoreKeys = ["path", "layout", "votes", "mos_from"];
    private static readonly string[] LabelKeys = ["min", "max"];
    private static readonly string[] GateKeys = ["plcc_min", "srocc_min", "rmse_max", "plcc_spread_max"];

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
        var catalog = Parse(File.ReadAllText(path), path);
        if (catalog.Name != corpus)
            throw Bad(path, "name", $"'{catalog.Name}' differs from the file name; a catalog is named after its corpus ('{corpus}')");
        return catalog;
    }

    public static Catalog Parse(string yaml, string origin)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw Bad(origin, $"line {e.Start.Line}", OneLine(e.Message)); }
        // YamlDotNet throws this instead of a YamlException for some unterminated flow collections ("[a, b").
        catch (InvalidOperationException e) { throw Bad(origin, "(document)", $"not valid YAML ({OneLine(e.Message)}); look for an unclosed [ or {{"); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw Bad(origin, "(root)", "expected a mapping");
        OnlyKnown(root, RootKeys, "", origin);

        var sources = Seq(root, "sources", origin).Select((n, i) => Source(n, $"sources[{i}]", origin)).ToList();
        var duplicate = sources.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw Bad(origin, $"sources[{sources.FindLastIndex(s => s.Name == duplicate.Key)}].name",
                $"'{duplicate.Key}' is used twice; download progress is kept per source name");
        var scores = Seq(root, "scores", origin).Select((n, i) =>
        {
            var key = $"scores[{i}]";
            var m = Map(n, key, origin);
            OnlyKnown(m, ScoreKeys, key, origin);
            return new ScoreFile(SafeRelative(Req(m, "path", key, origin), $"{key}.path", origin),
                Opt(m, "layout") ?? "auto", Opt(m, "votes") is { } v ? SafeRelative(v, $"{key}.votes", origin) : null,
                Opt(m, "mos_from") is { } mf ? SafeRelative(mf, $"{key}.mos_from", origin) : null);
        }).ToList();
        var labels = Map(Child(root, "labels", origin), "labels", origin);
        OnlyKnown(labels, LabelKeys, "labels", origin);
        var gate = Map(Child(root, "gate", origin), "gate", origin);
        OnlyKnown(gate, GateKeys, "gate", origin);

        var guard = new LabelGuard(Int(labels, "min", "labels", origin), Int(labels, "max", "labels", origin));
        if (guard.Min < 0 || guard.Max < guard.Min)
            throw Bad(origin, "labels", $"min {guard.Min} and max {guard.Max} do not form a range (0 <= min <= max)");
        var thresholds = new GateThresholds(
            Fraction(gate, "plcc_min", origin), Fraction(gate, "srocc_min", origin),
            Positive(gate, "rmse_max", origin), Fraction(gate, "plcc_spread_max", origin));

        return new Catalog(
            Req(root, "name", "", origin),
            Req(root, "version", "", origin),
            Req(root, "licence", "", origin),
            Opt(root, "landing_page") ?? "",
            sources,
            scores,
            guard,
            thresholds,
            Opt(root, "registry"),
            Percent(root, "max_loss", origin));
    }

    private static CatalogSource Source(YamlNode node, string key, string origin)
    {
        var m = Map(node, key, origin);
        OnlyKnown(m, SourceKeys, key, origin);
        var kindText = Req(m, "kind", key, origin);
        var kind = kindText switch
        {
            "archive" => SourceKind.Archive,
            "file" => SourceKind.File,
            "clip-list" => SourceKind.ClipList,
            _ => throw Bad(origin, $"{key}.kind", $"'{kindText}' is not one of archive, file, clip-list"),
        };
        var url = Req(m, "url", key, origin);
        var served = FileNameOf(url, $"{key}.url", origin);
        var name = Opt(m, "name") ?? served;
        var unpack = Opt(m, "unpack_to") is { } u ? SafeRelative(u, $"{key}.unpack_to", origin) : null;
        var saveAs = Opt(m, "save_as") is { } s ? SafeRelative(s, $"{key}.save_as", origin) : null;
        if (kind == SourceKind.Archive && unpack is null) throw Bad(origin, $"{key}.unpack_to", "an archive needs unpack_to");
        var sha = Opt(m, "sha256");
        if (sha is not null && (sha.Length != 64 || !sha.All(Uri.IsHexDigit)))
            throw Bad(origin, $"{key}.sha256", $"'{sha}' is not 64 hex digits");
        var optional = Opt(m, "optional") switch
        {
            null or "false" => false,
            "true" => true,
            var other => throw Bad(origin, $"{key}.optional", $"'{other}' is not true or false"),
        };
        return new CatalogSource(name, url, kind, unpack, saveAs, sha, optional);
    }

    /// <summary>
    /// The file name a URL serves. Absolute URLs must be http(s) or file; a relative URL (just a file name) is
    /// resolved by Download against --mirror, which is how the sample corpus is served.
    /// </summary>
    private static string FileNameOf(string url, string key, string origin)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var abs) && abs.Scheme is "http" or "https" or "file")
            return Path.GetFileName(abs.AbsolutePath) is { Length: > 0 } n ? n : throw Bad(origin, key, $"'{url}' names no file; add a name");
        if (url.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(url, UriKind.Relative, out _))
            throw Bad(origin, key, $"'{url}' is neither an http(s):// or file:// URL nor a file name relative to --mirror");
        return Path.GetFileName(url) is { Length: > 0 } rel ? rel : throw Bad(origin, key, $"'{url}' names no file; add a name");
    }

    /// <summary>Catalog paths stay inside the corpus folder: no absolute paths, no '..' segments.</summary>
    private static string SafeRelative(string path, string key, string origin)
    {
        var segments = path.Replace('\\', '/').Split('/');
        if (Path.IsPathRooted(path) || path.StartsWith('/') || path.StartsWith('\\') || (path.Length > 1 && path[1] == ':') || segments.Contains(".."))
            throw Bad(origin, key, $"'{path}' escapes the corpus folder; use a relative path without '..'");
        return path;
    }

    private static KonvidException Bad(string origin, string key, string why) =>
        new($"catalog {origin}: {key}: {why}", "fix the catalog entry (see corpora/konvid-1k.yaml for a complete example)");

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private static void OnlyKnown(YamlMappingNode m, string[] known, string parent, string origin)
    {
        foreach (var key in m.Children.Keys)
        {
            var text = (key as YamlScalarNode)?.Value ?? key.ToString();
            if (!known.Contains(text))
                throw Bad(origin, parent.Length == 0 ? text : $"{parent}.{text}", $"unknown key; expected one of {string.Join(", ", known)}");
        }
    }

    private static YamlNode Child(YamlMappingNode m, string key, string origin) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n) ? n : throw Bad(origin, key, "missing");

    private static YamlMappingNode Map(YamlNode n, string key, string origin) =>
        n as YamlMappingNode ?? throw Bad(origin, key, "expected a mapping");

    private static IEnumerable<YamlNode> Seq(YamlMappingNode m, string key, string origin) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n) && !IsNull(n)
            ? (n as YamlSequenceNode ?? throw Bad(origin, key, "expected a list")).Children
            : [];

    /// <summary>A scalar's text; YAML's plain null (<c>null</c>, <c>~</c>, empty) reads as absent.</summary>
    private static string? Opt(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n) && !IsNull(n) && n is YamlScalarNode { Value: { Length: > 0 } v } ? v : null;

    private static bool IsNull(YamlNode n) =>
        n is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static string Req(YamlMappingNode m, string key, string parent, string origin) =>
        Opt(m, key) ?? throw Bad(origin, parent.Length == 0 ? key : $"{parent}.{key}", "missing");

    private static double Num(YamlMappingNode m, string key, string parent, string origin) =>
        double.TryParse(Req(m, key, parent, origin), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d : throw Bad(origin, $"{parent}.{key}", "expected a number");

    private static double Fraction(YamlMappingNode m, string key, string origin) =>
        Num(m, key, "gate", origin) is var d && d is >= 0 and <= 1 ? d : throw Bad(origin, $"gate.{key}", $"{d} is outside 0..1");

    /// <summary>A percentage, written <c>3</c> or <c>3 %</c>.</summary>
    private static double Percent(YamlMappingNode m, string key, string origin) =>
        double.TryParse(Req(m, key, "", origin).TrimEnd('%', ' '), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 100
            ? d : throw Bad(origin, key, $"'{Opt(m, key)}' is not a percentage from 0 to 100");

    private static double Positive(YamlMappingNode m, string key, string origin) =>
        Num(m, key, "gate", origin) is var d && d > 0 ? d : throw Bad(origin, $"gate.{key}", $"{d} must be above 0");

    private static int Int(YamlMappingNode m, string key, string parent, string origin) =>
        int.TryParse(Req(m, key, parent, origin), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i : throw Bad(origin, $"{parent}.{key}", "expected an integer");
}
