using System.Text.Json;
using Konvid.Core.Corpora;
using Konvid.Core.Train;
using Konvid.Core.Workspace;

namespace Konvid.Core.Gate;

/// <summary>
/// Gate: promotes the trained heads only when their held-out metrics clear the corpus's thresholds. Writes
/// MOS_PROMOTE.json or MOS_HOLD.json (and removes the other), the state page, and on PROMOTE swaps the heads into the
/// registry; on HOLD registers nothing, overwrites nothing and throws naming the failing checks.
/// </summary>
public static class Gatekeeper
{
    public const int SchemaVersion = 1;

    /// <summary>
    /// The version of the gate's rules (which checks, how each is computed) and of what a verdict writes. Bump it when either
    /// changes. 2: baselines in the verdict, the metrics history, paths shown relative to the repository or work dir.
    /// </summary>
    public const string RulesVersion = "2";

    public static async Task<GateReport> RunAsync(CorpusLayout layout, GateThresholds thresholds, GateOptions options, IProgressReporter progress, CancellationToken ct)
    {
        if (new[] { thresholds.PlccMin, thresholds.SroccMin, thresholds.RmseMax, thresholds.PlccSpreadMax }.Any(t => !double.IsFinite(t)))
            throw new KonvidException($"Gate: thresholds {thresholds} must be finite numbers", "fix the gate in corpora/<corpus>.yaml or --gate");
        AtomicFile.SweepLeftovers("Gate", progress,
            [TempPlace.FileAt(layout.Promote), TempPlace.FileAt(layout.Hold), TempPlace.Tree(options.RegistryDir), TempPlace.FileAt(MetricsHistory.PathIn(layout)),
             .. options.StateMdPath is { } page ? [TempPlace.FileAt(page)] : Array.Empty<TempPlace>()]);
        var cards = ModelCard.ReadAll(layout.Models, "re-run the Train target");
        var first = cards[0];
        if (File.Exists(layout.CorpusJsonl))
        {
            var current = await FileHasher.Sha256Async(layout.CorpusJsonl, ct: ct);
            if (current != first.Data.JsonlSha256)
                throw new KonvidException($"Gate: the models in {layout.Models} were trained on another version of {layout.CorpusJsonl}",
                    "re-run the Train target, then Gate");
        }

        var mean = new ModelMetrics(
            (int)cards.Average(c => c.Metrics.N),
            cards.Average(c => c.Metrics.Plcc), cards.Average(c => c.Metrics.Srocc), cards.Average(c => c.Metrics.Krocc),
            cards.Average(c => c.Metrics.Rmse), cards.Average(c => c.Metrics.PlccLogistic));
        var spread = cards.Max(c => c.Metrics.Plcc) - cards.Min(c => c.Metrics.Plcc);
        GateCheck[] checks =
        [
            new("mean_plcc", mean.Plcc, ">=", thresholds.PlccMin, mean.Plcc >= thresholds.PlccMin),
            new("mean_srocc", mean.Srocc, ">=", thresholds.SroccMin, mean.Srocc >= thresholds.SroccMin),
            new("mean_rmse", mean.Rmse, "<=", thresholds.RmseMax, mean.Rmse <= thresholds.RmseMax),
            new("plcc_spread", spread, "<=", thresholds.PlccSpreadMax, spread <= thresholds.PlccSpreadMax),
        ];
        var failing = checks.Where(c => !c.Pass).ToList();
        var verdict = failing.Count == 0 ? GateVerdict.Promote : GateVerdict.Hold;
        var registryShown = ShownPath(options.RegistryDir, layout, options.RepositoryRoot);
        var recommendation = verdict == GateVerdict.Promote
            ? $"promote: every check passed; the {cards.Count} seeds are registered in {registryShown}"
            : "hold: failing " + string.Join(", ", failing.Select(c => $"{c.Name} {c.Value:F4} (needs {c.Comparison} {c.Threshold})")) +
              "; nothing registered. Improve the features or the corpus, or review the corpus's gate in corpora/*.yaml";
        var crossValidation = await ReadCrossValidationAsync(layout, first.Data.JsonlSha256, ct);
        var baselines = await Baselines.MeasureAsync(layout.CorpusJsonl, first, ct);
        var generated = DateTime.UtcNow;

        var verdictPath = verdict == GateVerdict.Promote ? layout.Promote : layout.Hold;
        var document = new VerdictDocument(
            SchemaVersion, verdict == GateVerdict.Promote ? "PROMOTE" : "HOLD", generated.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ModelCard.ModelName,
            new VerdictCorpus(options.CorpusName, options.CorpusVersion, first.Data.Rows, first.Data.JsonlSha256),
            cards.Select(c => c.Recipe.Seed).ToList(),
            cards.Select(c => new SeedMetrics(c.Recipe.Seed, c.Recipe.Trainer, c.OnnxSha256, c.Metrics)).ToList(),
            mean,
            crossValidation,
            baselines,
            new VerdictGate(thresholds, checks),
            recommendation,
            verdict == GateVerdict.Promote ? registryShown : null);
        var json = JsonSerializer.Serialize(document, ModelCard.Json) + "\n";
        await AtomicFile.WriteAllTextAsync(verdictPath, json, ct);
        var other = verdict == GateVerdict.Promote ? layout.Hold : layout.Promote;
        if (File.Exists(other)) File.Delete(other);

        var history = await MetricsHistory.AppendAsync(MetricsHistory.PathIn(layout), new HistoryEntry(
            document.GeneratedAtUtc, options.CorpusName, options.CorpusVersion, first.Data.Rows, first.Data.JsonlSha256, cards.Count,
            mean.Plcc, mean.Srocc, mean.Rmse, document.Verdict), ct);
        if (options.StateMdPath is { } statePath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(statePath))!);
            await AtomicFile.WriteAllTextAsync(statePath, StatePage.Render(document, cards, history), ct);
        }

        if (verdict == GateVerdict.Hold)
        {
            progress.Warn($"Gate: HOLD ({string.Join(", ", failing.Select(c => c.Name))})");
            throw new KonvidException($"Gate: HOLD, failing {string.Join(", ", failing.Select(c => $"{c.Name} = {c.Value:F4} (needs {c.Comparison} {c.Threshold})"))}; see {verdictPath}",
                "nothing was registered; improve the model or corpus and re-run Train and Gate");
        }

        await RegisterAsync(layout, cards, verdictPath, options.RegistryDir, ct);
        progress.Info($"Gate: PROMOTE, {cards.Count} seeds registered in {Path.GetFullPath(options.RegistryDir)}" +
                      (options.StateMdPath is { } statePage ? $"; state page {Path.GetFullPath(statePage)}" : ""));
        return new GateReport(verdict, checks, document.Seeds, mean, verdictPath, Path.GetFullPath(options.RegistryDir), recommendation);
    }

    /// <summary>
    /// A path as verdicts and the state page show it: relative to the repository root or the work dir when below
    /// either (the page may be committed; the machine's folders are nobody else's business), else in full.
    /// </summary>
    internal static string ShownPath(string path, CorpusLayout layout, string? repositoryRoot)
    {
        var full = Path.GetFullPath(path);
        foreach (var (root, prefix) in new[] { (repositoryRoot, ""), (layout.WorkDir, "<work-dir>/") })
        {
            if (root is null) continue;
            var relative = Path.GetRelativePath(Path.GetFullPath(root), full);
            if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
                return prefix + relative.Replace(Path.DirectorySeparatorChar, '/');
        }
        return full;
    }

    /// <summary>The cross-validation of the same corpus as the cards, or null (none run, or left from another corpus).</summary>
    private static async Task<CrossValidation?> ReadCrossValidationAsync(CorpusLayout layout, string jsonlSha256, CancellationToken ct)
    {
        var path = Path.Combine(layout.Models, CrossValidation.FileName);
        if (!File.Exists(path)) return null;
        await using var stream = File.OpenRead(path);
        var cv = await JsonSerializer.DeserializeAsync<CrossValidation>(stream, ModelCard.Json, ct);
        return cv?.JsonlSha256 == jsonlSha256 ? cv : null;
    }

    /// <summary>
    /// Copies the heads into a staging folder next to the registry, then swaps it in with two renames; a registry left
    /// half-swapped by a crash (only the .old copy present) is restored first.
    /// </summary>
    private static async Task RegisterAsync(CorpusLayout layout, IReadOnlyList<ModelCard> cards, string verdictPath, string registryDir, CancellationToken ct)
    {
        var registry = Path.GetFullPath(registryDir).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(registry)!;
        var name = Path.GetFileName(registry);
        Directory.CreateDirectory(parent);
        var leftovers = Directory.EnumerateDirectories(parent, $".{name}.old-*").ToList();
        if (!Directory.Exists(registry) && leftovers.Count == 1) Directory.Move(leftovers[0], registry);
        foreach (var stale in Directory.EnumerateDirectories(parent, $".{name}.staging-*")) Directory.Delete(stale, recursive: true);

        var staging = Path.Combine(parent, $".{name}.staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        foreach (var card in cards)
        {
            await CopyAsync(Path.Combine(layout.Models, card.OnnxFile), Path.Combine(staging, card.OnnxFile), ct);
            await CopyAsync(Path.Combine(layout.Models, ModelCard.FileName(card.Recipe.Seed)), Path.Combine(staging, ModelCard.FileName(card.Recipe.Seed)), ct);
        }
        await CopyAsync(verdictPath, Path.Combine(staging, Path.GetFileName(verdictPath)), ct);

        if (Directory.Exists(registry))
        {
            var old = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
            Directory.Move(registry, old);
            Directory.Move(staging, registry);
            Directory.Delete(old, recursive: true);
        }
        else Directory.Move(staging, registry);
        foreach (var old in Directory.EnumerateDirectories(parent, $".{name}.old-*")) Directory.Delete(old, recursive: true);
    }

    private static async Task CopyAsync(string from, string to, CancellationToken ct)
    {
        await using var source = File.OpenRead(from);
        await using var target = new FileStream(to, FileMode.CreateNew, FileAccess.Write);
        await source.CopyToAsync(target, ct);
        target.Flush(flushToDisk: true);
    }
}
