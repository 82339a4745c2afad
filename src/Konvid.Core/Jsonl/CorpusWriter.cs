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

    /// <summary>Rows made in parallel while the batch before is written: enough to keep cores busy, small in memory (two batches of deep rows: ~46 MB).</summary>
    private const int Batch = 512;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<JsonlReport> RunAsync(CorpusLayout layout, Catalog catalog, JsonlOptions options, IProgressReporter progress, CancellationToken ct)
    {
        AtomicFile.SweepLeftovers(nameof(Stage.Jsonl), progress, TempPlace.FileAt(layout.CorpusJsonl), TempPlace.FileAt(RowIndex.PathFor(layout)));
        // What the join needs is read at once: at KonViD-150k's size each read is a few tenths of a second of one core.
        var labelsRead = Task.Run(() => LabelIndex.LoadAsync(layout, catalog, progress, ct), ct);
        var clipsRead = Task.Run(async () => (await Manifest.ReadAsync(layout.Manifest, ct)).OrderBy(e => e.RelativePath, StringComparer.Ordinal).ToList(), ct);
        var probesRead = Task.Run(() => ProbeStore.ReadAllAsync(layout, ct), ct);
        var entriesListed = Task.Run(() => FeatureCache.List(layout, ClipFeatures.CurrentSet, options.Deep, options.FeaturesListed), ct);
        var previousRead = Task.Run(async () => await RowIndex.LoadAsync(layout, ct) is { } index ? (index, await PreviousParquet.OpenAsync(layout, ct)) : default, ct);
        var labels = await labelsRead;
        LabelGuardCheck.Check(catalog, labels.Files, options.IgnoreLabelGuard, progress);

        var clips = await clipsRead;
        if (clips.Count == 0)
            throw new KonvidException($"{layout.Manifest} lists no clips", $"run Verify first (./build.sh Verify --corpus {catalog.Name})");
        var probes = await probesRead;
        var earlier = (await AttritionLedger.ReadAllAsync(layout, ct)).Where(e => e.Stage != Stage.Jsonl).ToList();
        var entries = await entriesListed;
        var plan = CorpusJoin.Plan(clips, labels, probes, earlier, entries, options.Deep);
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
        // Rows whose inputs are unchanged since the last run are copied from the JSONL it wrote, not rendered again, and
        // their Parquet cells are taken from the Parquet file it wrote. It is opened before the new one replaces it.
        var (previous, opened) = await previousRead;
        await using var previousParquet = opened;
        await using var parquet = CorpusParquetWriter.Start(layout, progress);
        var written = new List<int>(plan.RowCandidates);
        var index = new List<(string Sha256, RowSpot Spot)>(plan.RowCandidates);
        var reused = 0;
        LossTally? tally = null;
        IReadOnlyList<AttritionEntry> all = [];
        using (var task = progress.Start(nameof(Stage.Jsonl), plan.RowCandidates, "rows"))
        try
        {
            await AtomicFile.WriteAsync(layout.CorpusJsonl, async (stream, c) =>
            {
                using var old = previous is null ? null : File.OpenHandle(layout.CorpusJsonl, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var source = new RowSource(layout, probes, entries, run, options.Deep, previous, old, previousParquet is not null);
                var parallel = new ParallelOptions { CancellationToken = c, MaxDegreeOfParallelism = Environment.ProcessorCount };
                // The next batch is made while this one is written: writing is sequential, making rows is not.
                Task Make(Outcome[] into, int start) => Task.Run(() => Parallel.For(0, Math.Min(Batch, clips.Count - start), parallel, j =>
                    into[j] = plan.RowLabels[start + j] is { } label ? source.Row(clips[start + j], label) : default), c);
                var (ready, spare) = (new Outcome[Batch], new Outcome[Batch]);
                var making = Make(ready, 0);
                // One write per batch (small writes through an asynchronous file stream cost a thread hand-off each), made
                // while the next batch's rows are taken in.
                var (bytes, flushing) = (new ArrayBufferWriter<byte>(1 << 20), new ArrayBufferWriter<byte>(1 << 20));
                var writing = Task.CompletedTask;
                long offset = 0;
                try
                {
                    for (var start = 0; start < clips.Count; start += Batch)
                    {
                        await making;
                        if (start + Batch < clips.Count) making = Make(spare, start + Batch);
                        bytes.ResetWrittenCount();
                        for (var j = 0; j < Math.Min(Batch, clips.Count - start); j++)
                        {
                            var o = ready[j];
                            if (o.Row is not null)
                            {
                                bytes.Write(o.Row.WrittenSpan);
                                // A copied row whose Parquet row cannot be read cheaply (rows in another order) is parsed.
                                var cells = o.Copied is { } copied
                                    ? await previousParquet!.CellsAsync(copied, run.IngestedAtUtc, c) ?? CorpusParquetWriter.Cells(o.Row.WrittenSpan, null)
                                    : o.Cells;
                                await parquet.AddAsync(cells, c);
                                index.Add((clips[start + j].Sha256, new RowSpot(o.Digest, offset, o.Row.WrittenCount, index.Count)));
                                offset += o.Row.WrittenCount;
                                source.Return(o.Row);
                                written.Add(start + j);
                                rows++;
                                if (o.Reused) reused++;
                            }
                            if (o.Loss is not null) losses.Add(o.Loss);
                            if (o.Missing is not null) missing.Add(o.Missing);
                            if (plan.RowLabels[start + j] is not null) task.Advance();
                        }
                        await writing;
                        (bytes, flushing) = (flushing, bytes);
                        writing = Task.Run(async () =>
                        {
                            parquet.Mirror(flushing.WrittenSpan);
                            await stream.WriteAsync(flushing.WrittenMemory, c);
                        }, c);
                        Array.Clear(ready);
                        (ready, spare) = (spare, ready);
                    }
                }
                finally
                {
                    // A failed write must not leave a batch reading the old JSONL after its handle is closed.
                    try { await making; }
                    catch (Exception) when (!making.IsCompletedSuccessfully) { }
                    try { await writing; }
                    catch (Exception) when (!writing.IsCompletedSuccessfully) { }
                }
                // Awaited again here so that a failed last write fails the run (the finally only keeps it from hiding another failure).
                await writing;
                // A feature entry that vanished or broke since planning is as missing as one never written.
                if (missing.Count > plan.Missing.Count) RefuseOrRecord(layout, missing[plan.Missing.Count..], losses, options.AllowPartial, progress);
                // The ledger is written before the corpus replaces the old one, so a corpus past the ceiling is never
                // renamed into place while attrition.csv still says why.
                all = await WriteLossesAsync(layout, losses, c);
                tally = LossTally.Of(rows, RowKeys(clips, plan.RowLabels, written), all.Where(e => e.Stage <= Stage.Jsonl));
                ceiling.CheckCorpus(tally, layout.Attrition);
            }, ct);
            await parquet.CompleteAsync(layout.CorpusJsonl, ct);
            await RowIndex.SaveAsync(layout, index, ct);
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
        progress.Info($"{Path.GetFileName(layout.CorpusJsonl)}: {rows:N0} rows ({rows - reused:N0} rendered, {reused:N0} unchanged and copied); {tally!.Lost:N0} clips or labels lost ({tally.Percent:0.##} %, " +
                      $"ceiling {ceiling.Percent:0.##} %); attrition entries: " +
                      string.Join(", ", byStage.Where(s => s.Count > 0).Select(s => $"{s.Stage} {s.Count:N0}").DefaultIfEmpty("none")));
        return new JsonlReport(layout.CorpusJsonl, rows, labels.LabelRows, clips.Count, byStage, all.Count, tally.Percent, tally.Lost, reused);
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

    /// <summary>A row or why there is none; a copied row's cells are left to the Parquet file it was copied with when <see cref="Copied"/> names its row there.</summary>
    private readonly record struct Outcome(ArrayBufferWriter<byte>? Row, AttritionEntry? Loss, MissingClip? Missing,
        CorpusParquetWriter.ParquetCells Cells = default, UInt128 Digest = default, bool Reused = false, int? Copied = null);

    /// <summary>
    /// Makes one row at a time, from any thread: copied from the previous JSONL when <see cref="RowIndex"/> shows its
    /// inputs unchanged (its timestamp replaced by this run's), else rendered from the feature entry. A copied row's
    /// Parquet cells are parsed from its line unless <paramref name="cellsKept"/> (the previous Parquet file has them).
    /// </summary>
    private sealed class RowSource(CorpusLayout layout, IReadOnlyDictionary<string, ProbeResult> probes, IReadOnlyDictionary<string, EntryStamp> entries,
        RunStamp run, bool deep, RowIndex? previous, Microsoft.Win32.SafeHandles.SafeFileHandle? old, bool cellsKept)
    {
        private static readonly byte[] TimestampKey = System.Text.Encoding.UTF8.GetBytes($"\"{CorpusRow.IngestedAtKey}\":\"");

        // Row buffers are reused: a deep row is ~45 KB, and 150k fresh ones would be 7 GB of garbage.
        private readonly ConcurrentBag<ArrayBufferWriter<byte>> _buffers = [];
        private readonly byte[] _stamp = System.Text.Encoding.UTF8.GetBytes(run.IngestedAtUtc);

        public void Return(ArrayBufferWriter<byte> row)
        {
            row.ResetWrittenCount();
            _buffers.Add(row);
        }

        public Outcome Row(ManifestEntry clip, Label label)
        {
            var probe = probes[clip.Sha256];
            // The plan only makes rows of clips whose entry was listed; one gone since is missing, as Render finds.
            var digest = entries.TryGetValue(clip.Sha256, out var entry) ? RowDigest.Of(run, deep, clip, probe, label, entry) : default;
            if (previous is not null && old is not null && previous.TryFind(clip.Sha256, out var spot) && spot.Digest == digest && Copy(spot) is { } copied)
                return cellsKept
                    ? new Outcome(copied, null, null, default, digest, Reused: true, Copied: spot.Row)
                    : new Outcome(copied, null, null, CorpusParquetWriter.Cells(copied.WrittenSpan, null), digest, Reused: true);
            var made = Render(clip, probe, label);
            return made.Row is null ? made : made with { Digest = digest };
        }

        /// <summary>The previous row's bytes with this run's timestamp; null when they are not a row as this code writes it.</summary>
        private ArrayBufferWriter<byte>? Copy(RowSpot spot)
        {
            var buffer = Buffer(spot.Length);
            var span = buffer.GetSpan(spot.Length)[..spot.Length];
            if (RandomAccess.Read(old!, span, spot.Offset) != spot.Length || span[^1] != (byte)'\n') return Discard(buffer);
            var at = span.LastIndexOf(TimestampKey);
            var value = at + TimestampKey.Length;
            if (at < 0 || value + _stamp.Length >= span.Length || span[value + _stamp.Length] != (byte)'"'
                || span[value..].IndexOf((byte)'"') != _stamp.Length) return Discard(buffer);
            _stamp.CopyTo(span[value..]);
            buffer.Advance(spot.Length);
            return buffer;
        }

        private ArrayBufferWriter<byte>? Discard(ArrayBufferWriter<byte> buffer)
        {
            Return(buffer);
            return null;
        }

        private ArrayBufferWriter<byte> Buffer(int size) => _buffers.TryTake(out var reused) ? reused : new ArrayBufferWriter<byte>(Math.Max(size, 1024));

        private Outcome Render(ManifestEntry clip, ProbeResult probe, Label label)
        {
            var features = FeatureCache.TryRead(layout, clip.Sha256, ClipFeatures.CurrentSet, deep, FeatureRead.Features);
            if (features is null)
                return new Outcome(null, null, new MissingClip(clip.ClipId, "not featurised: feature cache entry vanished or unreadable since the run began"));
            if (features.Features is not { } sorted) return new Outcome(null, new AttritionEntry(clip.ClipId, Stage.Jsonl, $"features failed: {features.Error}"), null);
            foreach (var (name, value) in sorted)
                if (!double.IsFinite(value))
                    return new Outcome(null, new AttritionEntry(clip.ClipId, Stage.Jsonl, $"feature {name} is {value}, which JSON cannot carry"), null);

            var buffer = Buffer(1024 + sorted.Length * 48);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                new CorpusRow(clip.ClipId, clip.Sha256, probe, label, sorted, ClipFeatures.CurrentSet, run).WriteTo(writer);
            buffer.Write("\n"u8);
            return new Outcome(buffer, null, null, CorpusParquetWriter.Cells(buffer.WrittenSpan, sorted));
        }
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
