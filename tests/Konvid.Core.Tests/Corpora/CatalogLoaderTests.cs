using Konvid.Core.Corpora;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Corpora;

public class CatalogLoaderTests
{
    private const string Valid = """
        name: demo
        version: demo-1
        licence: research use
        landing_page: http://example.org/
        sources:
          - name: videos.zip
            url: https://example.org/videos.zip
            kind: archive
            unpack_to: clips
          - url: https://example.org/scores.csv
            kind: file
            save_as: downloads/scores.csv
        scores:
          - path: downloads/scores.csv
            layout: auto
            votes: downloads/votes.csv
            mos_from: downloads/mos.csv
        labels:
          min: 10
          max: 20
        max_loss: 7.5
        gate:
          plcc_min: 0.85
          srocc_min: 0.82
          rmse_max: 0.45
          plcc_spread_max: 0.005
        registry: model
        """;

    [Theory]
    [InlineData("konvid-1k", "konvid-1k-2017")]
    [InlineData("konvid-150k", "konvid-150k-2019")]
    [InlineData("sample", "sample-1")]
    public void Every_shipped_catalog_loads(string corpus, string version)
    {
        var catalog = CatalogLoader.Load(CorporaSample.CatalogDir, corpus);

        Assert.Equal(corpus, catalog.Name);
        Assert.Equal(version, catalog.Version);
        Assert.Contains("never redistributed", catalog.Licence);
        Assert.NotEmpty(catalog.Sources);
        Assert.NotEmpty(catalog.Scores);
    }

    [Theory]
    [InlineData("konvid-1k")]
    [InlineData("konvid-150k")]
    [InlineData("sample")]
    public void Every_score_file_of_a_shipped_catalog_is_brought_by_one_of_its_sources(string corpus)
    {
        var catalog = CatalogLoader.Load(CorporaSample.CatalogDir, corpus);
        var layout = new CorpusLayout("/w", corpus);
        bool Brought(string path) => catalog.Sources.Any(s =>
            (s.SaveAs is { } saved && layout.Resolve(saved) == layout.Resolve(path)) ||
            (s.Kind == SourceKind.Archive && layout.Resolve(path).StartsWith(layout.Resolve(s.UnpackTo!) + "/", StringComparison.Ordinal)));

        Assert.All(catalog.Scores, s => Assert.True(Brought(s.Path), $"{corpus}: nothing brings {s.Path}"));
        Assert.All(catalog.Scores.Where(s => s.Votes is not null), s => Assert.True(Brought(s.Votes!), $"{corpus}: nothing brings {s.Votes}"));
        Assert.All(catalog.Scores.Where(s => s.MosFrom is not null), s => Assert.True(Brought(s.MosFrom!), $"{corpus}: nothing brings {s.MosFrom}"));
    }

    [Theory]
    [InlineData("konvid-1k", 1, 3)]      // the published set is complete: a few percent at most
    [InlineData("konvid-150k", 8, 10)]   // the seed expects 5-8 % attrition
    [InlineData("sample", 0, 5)]         // made here, every clip decodes and has its label
    public void Every_shipped_catalog_declares_a_loss_ceiling_that_fits_its_corpus(string corpus, double min, double max) =>
        Assert.InRange(CatalogLoader.Load(CorporaSample.CatalogDir, corpus).MaxLossPercent, min, max);

    [Fact]
    public void KoNViD_1k_catalog_fetches_both_published_zips_and_gates_like_production()
    {
        var catalog = CatalogLoader.Load(CorporaSample.CatalogDir, "konvid-1k");

        Assert.Equal(
            [("KoNViD_1k_videos.zip", "https://datasets.vqa.mmsp-kn.de/archives/KoNViD_1k_videos.zip", "clips"),
             ("KoNViD_1k_metadata.zip", "https://datasets.vqa.mmsp-kn.de/archives/KoNViD_1k_metadata.zip", "metadata")],
            catalog.Sources.Select(s => (s.Name, s.Url, s.UnpackTo!)));
        Assert.All(catalog.Sources, s => Assert.Equal(SourceKind.Archive, s.Kind));
        Assert.Equal(new ScoreFile("metadata/KoNViD_1k_metadata/KoNViD_1k_attributes.csv", "konvid-1k-attributes", null,
            "metadata/KoNViD_1k_metadata/KoNViD_1k_mos.csv"), Assert.Single(catalog.Scores));
        Assert.Equal(new GateThresholds(0.85, 0.82, 0.45, 0.005), catalog.Gate);
        Assert.Equal("model", catalog.RegistryDir);
        Assert.InRange(1200, catalog.Labels.Min, catalog.Labels.Max);
    }

    [Fact]
    public void KonViD_150k_catalog_unpacks_both_sets_and_keeps_score_files_in_downloads()
    {
        var catalog = CatalogLoader.Load(CorporaSample.CatalogDir, "konvid-150k");

        var archives = catalog.Sources.Where(s => s.Kind == SourceKind.Archive).ToList();
        Assert.Equal(["k150ka.zip", "k150kb.zip"], archives.Select(s => s.Name));
        Assert.All(archives, a => Assert.Equal("clips", a.UnpackTo));
        var files = catalog.Sources.Where(s => s.Kind == SourceKind.File).ToList();
        Assert.Equal(["k150ka_scores.csv", "k150kb_scores.csv", "k150ka_votes.csv", "k150kb_votes.csv"], files.Select(s => s.Name));
        Assert.All(files, f => Assert.Equal($"downloads/{f.Name}", f.SaveAs));
        Assert.Equal([false, false, true, true], files.Select(f => f.Optional));
        Assert.All(catalog.Sources, s => Assert.StartsWith("https://datasets.vqa.mmsp-kn.de/archives/", s.Url));
        Assert.Equal(new GateThresholds(0.85, 0.82, 0.45, 0.005), catalog.Gate);
        Assert.InRange(154_745 + 1_596, catalog.Labels.Min, catalog.Labels.Max);
        Assert.False(catalog.Labels.Min <= 1200, "a KoNViD-1k score file must not pass the 150k label guard");
    }

    [Theory]
    [InlineData("konvid-1k")]
    [InlineData("konvid-150k")]
    public void Real_catalogs_fetch_every_source_over_https(string corpus)
    {
        var catalog = CatalogLoader.Load(CorporaSample.CatalogDir, corpus);

        Assert.All(catalog.Sources, s => Assert.StartsWith("https://", s.Url));
    }

    [Fact]
    public void Sample_catalog_mirrors_KoNViD_1k_with_relative_urls_its_own_gate_and_no_registry()
    {
        var sample = CatalogLoader.Load(CorporaSample.CatalogDir, "sample");
        var real = CatalogLoader.Load(CorporaSample.CatalogDir, "konvid-1k");

        Assert.Equal(real.Sources.Select(s => (s.Name, s.Kind, s.UnpackTo)), sample.Sources.Select(s => (s.Name, s.Kind, s.UnpackTo)));
        Assert.All(sample.Sources, s => Assert.Equal(s.Name, s.Url));
        // The same files; "auto" so that tests can put the other published shapes in the attributes file's place.
        Assert.Equal(real.Scores.Select(s => s with { Layout = "auto" }), sample.Scores);
        Assert.Null(sample.RegistryDir);
        Assert.NotEqual(real.Gate, sample.Gate);
        Assert.InRange(SampleOptions.Demo.Clips, sample.Labels.Min, sample.Labels.Max);
        Assert.InRange(SampleOptions.Tiny.Clips, sample.Labels.Min, sample.Labels.Max);
        Assert.False(sample.Labels.Max >= 1200, "KoNViD-1k's score file must not pass the sample's label guard");
    }

    [Fact]
    public void A_complete_catalog_parses_to_its_records()
    {
        var catalog = CatalogLoader.Parse(Valid, "demo.yaml");

        Assert.Equal(new CatalogSource("videos.zip", "https://example.org/videos.zip", SourceKind.Archive, "clips", null, null, false), catalog.Sources[0]);
        Assert.Equal(new CatalogSource("scores.csv", "https://example.org/scores.csv", SourceKind.File, null, "downloads/scores.csv", null, false), catalog.Sources[1]);
        Assert.Equal(new ScoreFile("downloads/scores.csv", "auto", "downloads/votes.csv", "downloads/mos.csv"), Assert.Single(catalog.Scores));
        Assert.Equal(new LabelGuard(10, 20), catalog.Labels);
        Assert.Equal(7.5, catalog.MaxLossPercent);
        Assert.Equal("model", catalog.RegistryDir);
    }

    [Theory]
    [InlineData("registry: null")]
    [InlineData("registry: ~")]
    [InlineData("registry:")]
    [InlineData("")]
    public void A_null_or_absent_registry_reads_as_none(string line)
    {
        var catalog = CatalogLoader.Parse(Valid.Replace("registry: model", line), "demo.yaml");
        Assert.Null(catalog.RegistryDir);
    }

    [Theory]
    [InlineData("name: demo\n", "", "name: missing")]
    [InlineData("  rmse_max: 0.45\n", "", "gate.rmse_max: missing")]
    [InlineData("kind: archive", "kind: torrent", "sources[0].kind: 'torrent' is not one of archive, file, clip-list")]
    [InlineData("unpack_to: clips", "unpack_to: ../../etc", "sources[0].unpack_to: '../../etc' escapes the corpus folder")]
    [InlineData("unpack_to: clips", "unpack_to: /abs", "sources[0].unpack_to: '/abs' escapes the corpus folder")]
    [InlineData("save_as: downloads/scores.csv", "save_as: downloads/../../scores.csv", "sources[1].save_as: 'downloads/../../scores.csv' escapes")]
    [InlineData("  - path: downloads/scores.csv", "  - path: /etc/passwd", "scores[0].path: '/etc/passwd' escapes")]
    [InlineData("votes: downloads/votes.csv", "votes: ../votes.csv", "scores[0].votes: '../votes.csv' escapes")]
    [InlineData("mos_from: downloads/mos.csv", "mos_from: /tmp/mos.csv", "scores[0].mos_from: '/tmp/mos.csv' escapes")]
    [InlineData("max_loss: 7.5\n", "", "max_loss: missing")]
    [InlineData("max_loss: 7.5", "max_loss: 120", "max_loss: '120' is not a percentage from 0 to 100")]
    [InlineData("max_loss: 7.5", "max_loss: lots", "max_loss: 'lots' is not a percentage from 0 to 100")]
    [InlineData("    unpack_to: clips\n", "", "sources[0].unpack_to: an archive needs unpack_to")]
    [InlineData("kind: file", "kind: file\n    optinal: true", "sources[1].optinal: unknown key")]
    [InlineData("kind: file", "kind: file\n    optional: yes", "sources[1].optional: 'yes' is not true or false")]
    [InlineData("kind: file", "kind: file\n    sha256: abc", "sources[1].sha256: 'abc' is not 64 hex digits")]
    [InlineData("url: https://example.org/videos.zip", "url: ftp://example.org/videos.zip", "sources[0].url: 'ftp://example.org/videos.zip' is neither")]
    [InlineData("  - url: https://example.org/scores.csv", "  - name: videos.zip\n    url: https://example.org/scores.csv", "sources[1].name: 'videos.zip' is used twice")]
    [InlineData("sources:", "source:", "source: unknown key")]
    [InlineData("min: 10", "min: ten", "labels.min: expected an integer")]
    [InlineData("max: 20", "max: 5", "labels: min 10 and max 5 do not form a range")]
    [InlineData("plcc_min: 0.85", "plcc_min: 85", "gate.plcc_min: 85 is outside 0..1")]
    [InlineData("labels:\n  min: 10\n  max: 20", "labels: 10-20", "labels: expected a mapping")]
    [InlineData("licence: research use", "licence: [unclosed", "not valid YAML")]
    [InlineData("licence: research use", "licence: 'unclosed", "line ")]
    public void A_bad_catalog_is_one_line_naming_the_key(string find, string replace, string expected)
    {
        Assert.Contains(find, Valid);
        var e = Assert.Throws<KonvidException>(() => CatalogLoader.Parse(Valid.Replace(find, replace), "corpora/demo.yaml"));

        Assert.StartsWith("catalog corpora/demo.yaml: ", e.Problem);
        Assert.Contains(expected, e.Problem);
        Assert.DoesNotContain('\n', e.Problem);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Loading_a_catalog_whose_name_is_not_its_file_name_is_refused()
    {
        using var temp = new TempDir();
        File.WriteAllText(temp["other.yaml"], Valid);

        var e = Assert.Throws<KonvidException>(() => CatalogLoader.Load(temp.Path, "other"));
        Assert.Contains("name: 'demo' differs from the file name", e.Problem);
    }

    [Fact]
    public void An_unknown_corpus_names_the_known_ones()
    {
        var e = Assert.Throws<KonvidException>(() => CatalogLoader.Load(CorporaSample.CatalogDir, "konvid-2k"));
        Assert.Contains("unknown corpus 'konvid-2k'", e.Problem);
        Assert.Equal("use --corpus with one of: konvid-150k, konvid-1k, sample", e.Hint);
    }
}
