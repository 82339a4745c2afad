using System.Text.Json;
using Konvid.Core.Corpora;
using Konvid.Core.Gate;
using Konvid.Core.Tests.Support;
using Konvid.Core.Train;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Gate;

public class GateTests
{
    private static readonly GateThresholds Thresholds = new(PlccMin: 0.85, SroccMin: 0.82, RmseMax: 0.45, PlccSpreadMax: 0.02);

    // Two seeds that clear every threshold; each failing case below breaks exactly one check.
    private static readonly (double Plcc, double Srocc, double Rmse)[] Passing = [(0.90, 0.88, 0.30), (0.91, 0.89, 0.31)];

    public static TheoryData<string, double[], double[], double[]> SingleFailures => new()
    {
        { "mean_plcc", [0.80, 0.81], [0.88, 0.89], [0.30, 0.31] },
        { "mean_srocc", [0.90, 0.91], [0.80, 0.81], [0.30, 0.31] },
        { "mean_rmse", [0.90, 0.91], [0.88, 0.89], [0.50, 0.52] },
        { "plcc_spread", [0.88, 0.93], [0.88, 0.89], [0.30, 0.31] },
    };

    [Theory]
    [MemberData(nameof(SingleFailures))]
    public async Task Failing_a_single_check_holds_naming_that_check_and_leaves_the_registry_untouched(string check, double[] plcc, double[] srocc, double[] rmse)
    {
        using var dir = new TempDir();
        var (layout, _) = await ModelFixtures.TrainAsync(dir.Path);
        await SetMetricsAsync(layout, plcc, srocc, rmse);
        var registry = Path.Combine(dir.Path, "registry");
        Directory.CreateDirectory(registry);
        await File.WriteAllTextAsync(Path.Combine(registry, "seed0.onnx"), "the shipped model");
        await File.WriteAllTextAsync(layout.Promote, "{}");
        var options = new GateOptions(registry, dir["state.md"], "sample", "1");

        var e = await Assert.ThrowsAsync<KonvidException>(() => Gatekeeper.RunAsync(layout, Thresholds, options, NullProgress.Instance, default));

        Assert.Contains($"failing {check} ", e.Message);
        foreach (var other in new[] { "mean_plcc", "mean_srocc", "mean_rmse", "plcc_spread" }.Where(c => c != check))
            Assert.DoesNotContain(other, e.Message);
        Assert.Equal(["seed0.onnx"], Directory.EnumerateFileSystemEntries(registry).Select(Path.GetFileName));
        Assert.Equal("the shipped model", await File.ReadAllTextAsync(Path.Combine(registry, "seed0.onnx")));
        Assert.False(File.Exists(layout.Promote));

        using var hold = JsonDocument.Parse(await File.ReadAllTextAsync(layout.Hold));
        var root = hold.RootElement;
        Assert.Equal("HOLD", root.GetProperty("verdict").GetString());
        Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
        Assert.Equal(300, root.GetProperty("corpus").GetProperty("rows").GetInt32());
        Assert.Equal([0, 1], root.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(2, root.GetProperty("per_seed").GetArrayLength());
        foreach (var c in root.GetProperty("gate").GetProperty("checks").EnumerateArray())
            Assert.Equal(c.GetProperty("name").GetString() != check, c.GetProperty("pass").GetBoolean());
        Assert.Contains(check, root.GetProperty("recommendation").GetString());
        Assert.Contains("**HOLD**", await File.ReadAllTextAsync(dir["state.md"]));
    }

    [Fact]
    public async Task Passing_every_check_promotes_and_swaps_the_models_into_the_registry()
    {
        using var dir = new TempDir();
        var (layout, _) = await ModelFixtures.TrainAsync(dir.Path, options: ModelFixtures.Options(0, 1) with { CvFolds = 3 });
        await SetMetricsAsync(layout, Passing.Select(p => p.Plcc).ToArray(), Passing.Select(p => p.Srocc).ToArray(), Passing.Select(p => p.Rmse).ToArray());
        var registry = Path.Combine(dir.Path, "registry");
        Directory.CreateDirectory(registry);
        await File.WriteAllTextAsync(Path.Combine(registry, "seed9.onnx"), "an older model");
        await File.WriteAllTextAsync(layout.Hold, "{}");

        var report = await Gatekeeper.RunAsync(layout, Thresholds, new GateOptions(registry, dir["state.md"], "sample", "1"), NullProgress.Instance, default);

        Assert.Equal(GateVerdict.Promote, report.Verdict);
        Assert.All(report.Checks, c => Assert.True(c.Pass));
        Assert.False(File.Exists(layout.Hold));
        Assert.Equal("PROMOTE", JsonDocument.Parse(await File.ReadAllTextAsync(layout.Promote)).RootElement.GetProperty("verdict").GetString());
        Assert.Equal(["MOS_PROMOTE.json", "seed0.card.json", "seed0.onnx", "seed1.card.json", "seed1.onnx"],
            Directory.EnumerateFiles(registry).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(layout.Models, "seed1.onnx")), await File.ReadAllBytesAsync(Path.Combine(registry, "seed1.onnx")));
        Assert.Empty(Directory.EnumerateDirectories(dir.Path, ".registry.*"));
        var state = await File.ReadAllTextAsync(dir["state.md"]);
        Assert.Contains("**PROMOTE**", state);
        Assert.Contains("| 1 | ", state);
        Assert.Contains("| **mean** |", state);
        Assert.Contains("3-fold cross-validated PLCC", state);
    }

    [Fact]
    public async Task Models_trained_on_another_corpus_version_are_refused()
    {
        using var dir = new TempDir();
        var (layout, _) = await ModelFixtures.TrainAsync(dir.Path);
        await File.AppendAllTextAsync(layout.CorpusJsonl, ModelCorpus.Build(5, firstClip: 900));

        var e = await Assert.ThrowsAsync<KonvidException>(() =>
            Gatekeeper.RunAsync(layout, Thresholds, new GateOptions(dir["registry"], null, "sample", "1"), NullProgress.Instance, default));
        Assert.Contains("re-run the Train target", e.Message);
        Assert.False(File.Exists(layout.Promote));
        Assert.False(File.Exists(layout.Hold));
    }

    /// <summary>Rewrites the cards' held-out metrics (the ONNX files, and so their SHA-256, stay as trained).</summary>
    private static async Task SetMetricsAsync(CorpusLayout layout, double[] plcc, double[] srocc, double[] rmse)
    {
        for (var seed = 0; seed < plcc.Length; seed++)
        {
            var path = Path.Combine(layout.Models, ModelCard.FileName(seed));
            var card = await ModelCard.ReadAsync(path, default);
            await File.WriteAllTextAsync(path, (card with { Metrics = card.Metrics with { Plcc = plcc[seed], Srocc = srocc[seed], Rmse = rmse[seed] } }).ToJson());
        }
    }
}
