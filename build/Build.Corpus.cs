using System.Globalization;
using Konvid.Core.Features;
using Konvid.Core.Jsonl;
using Konvid.Core.Probe;
using Konvid.Core.Workspace;
using Konvid.Targets;

namespace Konvid.Build;

partial class Build
{
    [Parameter("corpus_version written into every row (default: the catalog's)")]
    string? CorpusVersion;

    [Parameter("Write the corpus even if some clips are neither featurised nor in attrition (they become attrition)")]
    bool AllowPartial;

    [Parameter("Accept a score file whose size does not fit the corpus (e.g. 150k labels for KoNViD-1k)")]
    bool IgnoreLabelGuard;

    [Parameter("Loss ceiling in percent: the share of clips and labels that may end in attrition before Jsonl and Train fail (default: the catalog's max_loss)")]
    double? MaxLoss;

    Target Jsonl => _ => _
        .Description("Join scores, probe and features into the corpus JSONL (and its Parquet twin) and attrition.csv")
        .DependsOn(Features)
        .Version("feature-set", ClipFeatures.CurrentSet)
        .Version("feature-revision", ClipFeatures.Revision.ToString(CultureInfo.InvariantCulture))
        .Version("row-schema", CorpusWriter.RowSchemaVersion)
        .Version("corpus-parquet", CorpusParquet.FormatVersion)
        .Keyed(() => [CorpusVersion, DeepFeatures, AllowPartial, IgnoreLabelGuard, LossCeiling.For(Catalog, MaxLoss).Percent,
            Catalog.Name, Catalog.Version, Catalog.Labels, .. Catalog.Scores])
        .Tracks(() => [Layout.Manifest, .. ProbeStore.Files(Layout), Layout.FeaturesDir, .. AttritionLedger.PartsUpTo(Layout, Stage.Jsonl), Layout.CorpusJsonl, CorpusParquet.PathFor(Layout),
            .. Catalog.Scores.SelectMany(s => new[] { s.Path, s.MosFrom }.OfType<string>()).Select(Layout.Resolve)])
        .Produces(() => [Layout.CorpusJsonl, CorpusParquet.PathFor(Layout), Layout.AttritionParts, Layout.Attrition])
        .Executes(ct => CorpusWriter.RunAsync(Layout, Catalog,
            new JsonlOptions(CorpusVersion, DeepFeatures, AllowPartial, IgnoreLabelGuard, MaxLoss: MaxLoss, FeaturesListed: Listed(Layout.FeaturesDir)), Progress, ct));
}
