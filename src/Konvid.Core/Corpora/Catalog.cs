namespace Konvid.Core.Corpora;

/// <summary>
/// One corpus as declared in corpora/&lt;name&gt;.yaml. <see cref="MaxLossPercent"/> is the loss ceiling: the share of
/// the corpus's clips and labels that may end in attrition before Jsonl (and Train) fail; a catalog file must declare
/// it, a catalog made in code (tests, benches) has none unless it says so.
/// </summary>
public sealed record Catalog(
    string Name,
    string Version,
    string Licence,
    string LandingPage,
    IReadOnlyList<CatalogSource> Sources,
    IReadOnlyList<ScoreFile> Scores,
    LabelGuard Labels,
    GateThresholds Gate,
    string? RegistryDir,
    double MaxLossPercent = 100);

/// <summary>What a source is: an archive to unpack, a single file, or a per-clip URL list.</summary>
public enum SourceKind { Archive, File, ClipList }

/// <summary>
/// A file to fetch. <see cref="UnpackTo"/> (archives) and <see cref="SaveAs"/> (files) are relative to the corpus
/// folder; the loader refuses any that would escape it.
/// </summary>
public sealed record CatalogSource(string Name, string Url, SourceKind Kind, string? UnpackTo, string? SaveAs, string? Sha256, bool Optional);

/// <summary>
/// A score file (relative to the corpus folder) and its layout; "auto" sniffs the header. <see cref="MosFrom"/> names a
/// second file publishing the same labels' MOS (KoNViD_1k_mos.csv beside the attributes file, which rounds some to 4
/// decimals): each label takes the more precise of the two values, which must agree to the coarser one's rounding.
/// </summary>
public sealed record ScoreFile(string Path, string Layout, string? Votes, string? MosFrom = null);

/// <summary>The size range of a plausible score file, to catch a KoNViD-1k run fed KonViD-150k's labels and vice versa.</summary>
public sealed record LabelGuard(int Min, int Max);

public sealed record GateThresholds(double PlccMin, double SroccMin, double RmseMax, double PlccSpreadMax)
{
    /// <summary>Applies <c>--gate plcc_min=0.9,rmse_max=0.5</c>: named thresholds replace the catalog's, the rest stay.</summary>
    public GateThresholds Override(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return this;
        var result = this;
        foreach (var pair in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
                throw new Workspace.KonvidException($"--gate: '{pair}' is not name=number", "e.g. --gate plcc_min=0.9,srocc_min=0.85,rmse_max=0.45,plcc_spread_max=0.005");
            result = parts[0] switch
            {
                "plcc_min" => result with { PlccMin = value },
                "srocc_min" => result with { SroccMin = value },
                "rmse_max" => result with { RmseMax = value },
                "plcc_spread_max" => result with { PlccSpreadMax = value },
                _ => throw new Workspace.KonvidException($"--gate: unknown threshold '{parts[0]}'", "use plcc_min, srocc_min, rmse_max or plcc_spread_max"),
            };
        }
        return result;
    }
}
