using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Konvid.Core.Corpora;
using Konvid.Core.Features;
using Konvid.Core.Probe;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>
/// The Jsonl stage: joins scores, probe results and features (the union of all shards) into
/// &lt;corpus&gt;.jsonl (and its columnar twin &lt;corpus&gt;.parquet), one row per clip in manifest order, and records every
/// label or clip that did not make it.
/// Rows stream to a temp file that is renamed at the end, so readers never see half a corpus; memory holds the
/// labels, the probe results and one batch of rows, never the corpus.
/// </summary>
public static class CorpusWriter
{
    /// <summary>The version of the row format (<see cref="CorpusRow"/>: its keys, their types and meanings) and of the join that fills it. Bump it when either changes.</summary>
    public const string RowSchemaVersion = "2";

    /// <summary>Rows rendered in parallel between two sequential writes: enough to keep cores busy, small in memory.</summary>
    private const int Batch = 128;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<JsonlReport> RunAsync(CorpusLayout layout, Catalog catalog, JsonlOptions options, IProgressReporter progress, CancellationToken ct)
    {
        AtomicFile.SweepLeftovers(nameof(Stage.Jsonl), progress, TempPlace.FileAt(layout.CorpusJsonl));
        var labels = await LabelIndex.LoadAsync(layout, catalog, progress, ct);
        LabelGuardCheck.Check(catalog, labels.Files, options.IgnoreLabelGuard, progress);

        var clips = (await Manifest.ReadAsync(layout.Manifest, ct)).OrderBy(e => e.RelativePath, StringComparer.Ordinal).ToList();
        if (clips.Count == 0)
            throw new KonvidException($"{layout.Manifest} lists no clips", $"run Verify first (./build.sh Verify --corpus {catalog.Name})");
        var probes = await ProbeStore.ReadAllAsync(layout, ct);
        var earlier = (await AttritionLedger.ReadAllAsync(layout, ct)).Where(e => e.Stage != Stage.Jsonl).ToList();
        var plan = CorpusJoin.Plan(layout, clips, labels, probes, earlier, options.Deep);
        var losses = new List<AttritionEntry>(plan.Losses);
        var missing = new List<MissingClip>(plan.Missing);
        RefuseOrRecord(layout, missing, losses, options.AllowPartial, progress);

        // Rendering can only lose more, so a plan already past the ceiling fails before a row is rendered.
        var ceiling = LossCeiling.For(catalog, options.MaxLoss);
        var upstream = earlier.Where(e => e.Stage <= Stage.Jsonl).ToList();
        var candidates = Enumerable.Range(0, clips.Count).Where(i => plan.RowLabels[i] is not null);
        try { ceiling.CheckCorpus(LossTally.Of(plan.RowCandidates, RowKeys(clips, plan.RowLabels, candidates), [.. upstream, .. losses]), layout.Attrition); }
        catch (KonvidException)
        {
            await WriteLossesAsync(layout, losses, ct);
            throw;
        }

        var run = RunStamp.For(catalog.Name, options.CorpusVersion ?? catalog.Version, options.IngestedAt ?? DateTimeOffset.UtcNow);
        var rows = 0;
        await using var parquet = CorpusParquetWriter.Start(layout, progress);
        var written = new List<int>(plan.RowCandidates);
        LossTally? tally = null;
        IReadOnlyList<AttritionEntry> all = [];
        using (var task = progress.Start(nameof(Stage.Jsonl), plan.RowCandidates, "rows"))
        try
        {
            await AtomicFile.WriteAsync(layout.CorpusJsonl, async (stream, c) =>
            {
                var outcomes = new Outcome[Batch];
                // Row buffers are reused: a deep row is ~45 KB, and 150k fresh ones would be 7 GB of garbage.
                var buffers = new ConcurrentBag<ArrayBufferWriter<byte>>();
                var parallel = new ParallelOptions { CancellationToken = c, MaxDegreeOfParallelism = Environment.ProcessorCount };
                for (var start = 0; start < clips.Count; start += Batch)
                {
                    var count = Math.Min(Batch, clips.Count - start);
                    await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (j, c2) =>
                        outcomes[j] = plan.RowLabels[start + j] is { } label
                            ? await RenderAsync(layout, clips[start + j], probes[clips[start + j].Sha256], label, run, options.Deep, buffers, c2)
                            : default);
                    for (var j = 0; j < count; j++)
                    {
                        var o = outcomes[j];
                        if (o.Row is not null)
                        {
                            await stream.WriteAsync(o.Row.WrittenMemory, c);
                            await parquet.AddAsync(o.Row.WrittenMemory, o.Features!, c);
                            o.Row.ResetWrittenCount();
                            buffers.Add(o.Row);
                            written.Add(start + j);
                            rows++;
                        }
                        if (o.Loss is not null) losses.Add(o.Loss);
                        if (o.Missing is not null) missing.Add(o.Missing);
                        if (plan.RowLabels[start + j] is not null) task.Advance();
                    }
                    Array.Clear(outcomes);
                }
                // A feature entry that vanished or broke since planning is as missing as one never written.
                if (missing.Count > plan.Missing.Count) RefuseOrRecord(layout, missing[plan.Missing.Count..], losses, options.AllowPartial, progress);
                // The ledger is written before the corpus replaces the old one, so a corpus past the ceiling is never
                // renamed into place while attrition.csv still says why.
                all = await WriteLossesAsync(layout, losses, c);
                tally = LossTally.Of(rows, RowKeys(clips, plan.RowLabels, written), all.Where(e => e.Stage <= Stage.Jsonl));
                ceiling.CheckCorpus(tally, layout.Attrition);
            }, ct);
            await parquet.CompleteAsync(layout.CorpusJsonl, ct);
        }
        catch (IOException e)
        {
            // A full disk is the user's to fix, not a bug; the temp file is gone and any previous corpus file is untouched.
            throw new KonvidException($"writing {layout.CorpusJsonl} or its Parquet twin failed ({e.Message})",
                $"free space in {layout.Root} and re-run Jsonl; nothing was replaced");
        }

        // Every stage up to this one, and a later one only where an earlier run left its losses (Train's).
        var byStage = Enum.GetValues<Stage>().Where(s => s <= Stage.Jsonl || all.Any(e => e.Stage == s))
            .Select(s => new StageLoss(s, all.Count(e => e.Stage == s)))
            .ToList();
        progress.Info($"{Path.GetFileName(layout.CorpusJsonl)}: {rows:N0} rows; {tally!.Lost:N0} clips or labels lost ({tally.Percent:0.##} %, " +
                      $"ceiling {ceiling.Percent:0.##} %); attrition entries: " +
                      string.Join(", ", byStage.Where(s => s.Count > 0).Select(s => $"{s.Stage} {s.Count:N0}").DefaultIfEmpty("none")));
        return new JsonlReport(layout.CorpusJsonl, rows, labels.LabelRows, clips.Count, byStage, all.Count, tally.Percent, tally.Lost);
    }

    private static async Task<IReadOnlyList<AttritionEntry>> WriteLossesAsync(CorpusLayout layout, List<AttritionEntry> losses, CancellationToken ct)
    {
        await AttritionLedger.WriteStageAsync(layout, Stage.Jsonl, losses.OrderBy(e => e.Id, StringComparer.Ordinal).ThenBy(e => e.Reason, StringComparer.Ordinal), null, ct);
        return await AttritionLedger.ReadAllAsync(layout, ct);
    }

    /// <summary>Every key a row answers to: its clip's, its label's and the label's flickr id, so no spelling of it counts as lost.</summary>
    private static HashSet<string> RowKeys(IReadOnlyList<ManifestEntry> clips, Label?[] labels, IEnumerable<int> rows)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in rows)
        {
            keys.Add(ClipKey.Of(clips[i].ClipId));
            if (labels[i] is not { } label) continue;
            keys.Add(label.Key);
            if (label.AltKey is { } alt) keys.Add(alt);
        }
        return keys;
    }

    private readonly record struct Outcome(ArrayBufferWriter<byte>? Row, AttritionEntry? Loss, MissingClip? Missing, IReadOnlyList<KeyValuePair<string, double>>? Features = null);

    private static async Task<Outcome> RenderAsync(CorpusLayout layout, ManifestEntry clip, ProbeResult probe, Label label, RunStamp run, bool deep,
        ConcurrentBag<ArrayBufferWriter<byte>> buffers, CancellationToken ct)
    {
        var features = await FeatureCache.TryReadAsync(layout, clip.Sha256, ClipFeatures.CurrentSet, deep, FeatureRead.Features, ct);
        if (features is null)
            return new Outcome(null, null, new MissingClip(clip.ClipId, "not featurised: feature cache entry vanished or unreadable since the run began"));
        if (features.Features is not { } sorted) return new Outcome(null, new AttritionEntry(clip.ClipId, Stage.Jsonl, $"features failed: {features.Error}"), null);
        foreach (var (name, value) in sorted)
            if (!double.IsFinite(value))
                return new Outcome(null, new AttritionEntry(clip.ClipId, Stage.Jsonl, $"feature {name} is {value}, which JSON cannot carry"), null);

        var buffer = buffers.TryTake(out var reused) ? reused : new ArrayBufferWriter<byte>(1024 + sorted.Length * 48);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            new CorpusRow(clip.ClipId, clip.Sha256, probe, label, sorted, ClipFeatures.CurrentSet, run).WriteTo(writer);
        buffer.Write("\n"u8);
        return new Outcome(buffer, null, null, sorted);
    }

    /// <summary>
    /// Clips missing from the Probe/Features union mean a shard is missing or failed: a shorter corpus would hide
    /// it, so the run stops naming them, unless the caller accepts a partial corpus (then they become losses).
    /// </summary>
    private static void RefuseOrRecord(CorpusLayout layout, IReadOnlyList<MissingClip> missing, List<AttritionEntry> losses, bool allowPartial, IProgressReporter progress)
    {
        if (missing.Count == 0) return;
        var named = string.Join(", ", missing.Take(10).Select(m => m.ClipId)) + (missing.Count > 10 ? ", ..." : "");
        if (allowPartial)
        {
            losses.AddRange(missing.Select(m => new AttritionEntry(m.ClipId, Stage.Jsonl, m.Why)));
            progress.Warn($"{missing.Count:N0} clips neither featurised nor in attrition ({named}): recorded as losses (--allow-partial)");
            return;
        }
        throw new KonvidException(
            $"{missing.Count:N0} clips are neither featurised nor in attrition: {named} ({missing[0].Why})",
            $"{ShardHint(layout, missing)}or --allow-partial to write the corpus without them");
    }

    /// <summary>Names the shards that own the missing clips when the work dir shows a sharded run.</summary>
    private static string ShardHint(CorpusLayout layout, IReadOnlyList<MissingClip> missing)
    {
        var counts = Directory.Exists(layout.Root)
            ? Directory.EnumerateFiles(layout.Root, "probe.shard-*-of-*.jsonl")
                .Select(f => Path.GetFileNameWithoutExtension(f).Split("-of-").Last())
                .Select(n => int.TryParse(n, out var v) ? v : 0).Where(v => v > 1).Distinct().ToList()
            : [];
        if (counts.Count != 1) return "run Probe and Features for them (./build.sh Features), ";
        var n = counts[0];
        var shards = missing.Select(m => (int)(Shard.StableHash(m.ClipId) % (ulong)n)).Distinct().Order()
            .Select(i => $"--shard {i}/{n}");
        return $"run Features for the missing shard ({string.Join(", ", shards)}), ";
    }
}
