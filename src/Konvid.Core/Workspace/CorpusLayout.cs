namespace Konvid.Core.Workspace;

/// <summary>Where every artefact of one corpus lives; every stage receives this one object.</summary>
public sealed record CorpusLayout(string WorkDir, string Corpus)
{
    public string Root => Path.Combine(Path.GetFullPath(WorkDir), Corpus);
    public string Downloads => Path.Combine(Root, "downloads");
    public string Clips => Path.Combine(Root, "clips");
    public string Metadata => Path.Combine(Root, "metadata");
    public string Quarantine => Path.Combine(Root, "quarantine");
    public string DownloadProgress => Path.Combine(Root, ".download-progress.json");
    public string Manifest => Path.Combine(Root, "manifest.sha256");
    public string VerifyState => Path.Combine(Root, ".verify-state.json");
    public string ProbeJsonl => Path.Combine(Root, "probe.jsonl");
    public string FeaturesDir => Path.Combine(Root, "features");
    public string CorpusJsonl => Path.Combine(Root, Corpus.Replace('-', '_') + ".jsonl");
    public string Attrition => Path.Combine(Root, "attrition.csv");
    public string AttritionParts => Path.Combine(Root, ".attrition");
    public string Models => Path.Combine(Root, "models");
    public string Registry => Path.Combine(Root, "registry");
    public string Promote => Path.Combine(Root, "MOS_PROMOTE.json");
    public string Hold => Path.Combine(Root, "MOS_HOLD.json");
    public string Targets => Path.Combine(Root, ".targets");
    public string Lock => Path.Combine(Root, ".lock");

    /// <summary>The generated sample corpus's origin, served to Download through a file:// mirror.</summary>
    public string SampleOrigin => Path.Combine(Path.GetFullPath(WorkDir), "sample-origin");

    /// <summary>Resolves a catalog-relative path and refuses anything that would land outside the corpus root.</summary>
    public string Resolve(string relativePath)
    {
        var root = Root + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new KonvidException($"path '{relativePath}' escapes the corpus folder {Root}",
                "use a path relative to the corpus folder without '..' or a leading '/'");
        return full;
    }
}
