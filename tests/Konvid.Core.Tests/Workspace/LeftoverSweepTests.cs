using Konvid.Core.Corpora;
using Konvid.Core.Features;
using Konvid.Core.Jsonl;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Workspace;

/// <summary>Each stage sweeps, on its next run, the temp files that a killed run of it left where it writes.</summary>
public class LeftoverSweepTests
{
    [Fact]
    public async Task Features_sweeps_the_cache_and_Jsonl_the_corpus_temp_files_of_killed_runs_and_no_others()
    {
        using var corpus = new CorpusFixture();
        var file = CorpusScoreFiles.Redistribution;
        corpus.WriteFile("metadata/scores.csv", file.Text, file.Bom);
        foreach (var clip in file.Clips) await corpus.AddClipAsync(clip);
        var dead = await AtomicFileTests.DeadPidAsync();
        string Leftover(string target) =>
            Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{dead}.{AtomicFile.MachineTag}.{Guid.NewGuid():N}{AtomicFile.TempSuffix}");
        var cacheEntry = Directory.EnumerateFiles(corpus.Layout.FeaturesDir, "*.json", SearchOption.AllDirectories).First();
        var cacheTemp = Leftover(cacheEntry);
        var corpusTemp = Leftover(corpus.Layout.CorpusJsonl);
        var modelTemp = Leftover(Path.Combine(corpus.Layout.Models, "seed0.onnx"));
        foreach (var temp in new[] { cacheTemp, corpusTemp, modelTemp })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
            await File.WriteAllTextAsync(temp, "half written");
        }

        var progress = new AcquisitionProgressRecorder();
        await FeatureExtractor.RunAsync(corpus.Layout, new FeatureOptions(1, Shard.All), progress, CancellationToken.None);
        Assert.False(File.Exists(cacheTemp));
        Assert.True(File.Exists(corpusTemp) && File.Exists(modelTemp), "Features swept where it does not write");
        Assert.Contains("Features: removed 1 temp file left by a killed run", progress.Infos);

        await CorpusWriter.RunAsync(corpus.Layout, CorpusFixture.CatalogOf(new ScoreFile("metadata/scores.csv", "auto", null)),
            new JsonlOptions(Deep: false, IngestedAt: CorpusFixture.Noon), progress, CancellationToken.None);
        Assert.False(File.Exists(corpusTemp));
        Assert.True(File.Exists(modelTemp), "Jsonl swept where it does not write");
    }
}
