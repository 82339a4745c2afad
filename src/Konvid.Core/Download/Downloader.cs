using System.Collections.Concurrent;
using Konvid.Core.Corpora;
using Konvid.Core.Workspace;

namespace Konvid.Core.Download;

/// <summary>
/// The Download stage: fetches every catalog source (archives, single files, per-clip URL lists) into the corpus
/// folder, resuming and retrying, and extracts archives safely. Re-running it does only the missing work: finished
/// files are recognised on disk, permanent failures are not asked for again unless <see cref="DownloadOptions.RetryFailed"/>.
/// </summary>
public static class Downloader
{
    /// <summary>The version of what Download leaves: the download ledger, the extraction records, the clips' layout. Bump it when they change.</summary>
    public const string FormatVersion = "1";

    public static async Task<DownloadReport> RunAsync(CorpusLayout layout, Catalog catalog, DownloadOptions options,
        IProgressReporter progress, CancellationToken ct)
    {
        if (options.Jobs < 1) throw new KonvidException($"Download: --jobs {options.Jobs} is not a positive number", "pass --jobs 1 or more");
        if (options.MaxAttempts < 1) throw new KonvidException($"Download: {options.MaxAttempts} attempts per run cannot fetch anything", "allow at least one attempt");
        var mirror = SourceLocator.Mirror(options.Mirror);
        // Resolve every location before the first byte moves, so a catalog or mirror mistake fails fast.
        var plan = catalog.Sources.Select((s, i) => (Source: s, Index: i, Uri: SourceLocator.Locate(s, mirror))).ToList();

        try
        {
            Directory.CreateDirectory(layout.Downloads);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KonvidException($"Download: the work dir {layout.Root} is not writable ({e.Message})",
                "pass a writable --work-dir, or fix the permissions or free space there");
        }
        AtomicFile.SweepLeftovers(nameof(Stage.Download), progress, TempPlace.FileAt(layout.DownloadProgress), TempPlace.Tree(layout.Downloads),
            TempPlace.Tree(layout.Clips), TempPlace.Tree(layout.Metadata));
        var store = await DownloadProgressStore.LoadAsync(layout.DownloadProgress, ct);
        using var http = Fetcher.CreateClient(options);
        var run = new Run(layout, options, progress, store, new Fetcher(http, options));
        var finished = false;
        try
        {
            foreach (var (source, index, uri) in plan)
                await run.SourceAsync(source, index, uri, ct);
            finished = true;
        }
        finally
        {
            try
            {
                await store.SaveAsync(CancellationToken.None);
            }
            // When the run already failed (e.g. the disk filled up), that failure is the one to report.
            catch (IOException) when (!finished) { }
            catch (IOException e)
            {
                throw new KonvidException($"Download: cannot write {layout.DownloadProgress} ({e.Message})",
                    "free space there and re-run Download; finished files are recognised on disk");
            }
        }

        var report = run.Report();
        await AttritionLedger.WriteStageAsync(layout, Stage.Download, report.Attrition, null, ct);
        progress.Info($"Download: {report.Present} of {report.Items} items present ({report.Fetched} fetched, {report.Skipped} already done), "
                      + $"{report.FailedPermanent} failed permanently, {report.FailedTransient} failed for now, {report.EntriesRefused} archive entries refused, "
                      + $"{report.BytesFetched} bytes fetched, attrition {report.AttritionPercent:0.##} %");
        if (report.AttritionPercent > options.AttritionWarnPercent)
            progress.Warn($"Download: {report.Lost} of {report.Items} items lost ({report.AttritionPercent:0.##} %), above the "
                          + $"{options.AttritionWarnPercent:0.##} % threshold; reasons in {layout.Attrition}");
        if (run.FirstRequiredFailure is { } failure)
            throw new KonvidException($"Download: {failure.Source.Name}: {failure.Reason}", failure.Permanent
                ? $"the mirror lacks this file; check --mirror or the catalog entry corpora/{catalog.Name}.yaml:sources[{failure.Index}] (--retry-failed asks again)"
                : "re-run Download to resume; bytes already fetched are kept");
        return report;
    }

    private sealed record SourceFailure(CatalogSource Source, int Index, string Reason, bool Permanent);

    /// <summary>The mutable tallies of one run; clip transfers update them concurrently.</summary>
    private sealed class Run(CorpusLayout layout, DownloadOptions options, IProgressReporter progress,
        DownloadProgressStore store, Fetcher fetcher)
    {
        private readonly ConcurrentBag<AttritionEntry> _attrition = [];
        private readonly ConcurrentQueue<SourceFailure> _required = [];
        private int _items, _present, _fetched, _skipped, _permanent, _transient, _extracted, _refused, _optionalMissing;

        public SourceFailure? FirstRequiredFailure => _required.TryPeek(out var f) ? f : null;

        public DownloadReport Report() => new(_items, _present, _fetched, _skipped, _permanent, _transient, _extracted, _refused,
            _optionalMissing, fetcher.BytesFetched,
            _attrition.OrderBy(e => e.Id, StringComparer.Ordinal).ThenBy(e => e.Reason, StringComparer.Ordinal).ToList());

        public Task SourceAsync(CatalogSource source, int index, Uri uri, CancellationToken ct) => source.Kind switch
        {
            SourceKind.Archive => ArchiveAsync(source, index, uri, ct),
            SourceKind.ClipList => ClipListAsync(source, index, uri, ct),
            _ => FileAsync(source, index, uri, ct),
        };

        private async Task FileAsync(CatalogSource source, int index, Uri uri, CancellationToken ct)
        {
            if (!await EnsureSourceAsync(source, index, uri, SavedPath(source), ct)) return;
            Interlocked.Increment(ref _items);
            Interlocked.Increment(ref _present);
        }

        private async Task ArchiveAsync(CatalogSource source, int index, Uri uri, CancellationToken ct)
        {
            var archive = Path.Combine(layout.Downloads, source.Name);
            var target = layout.Resolve(source.UnpackTo!);
            var record = await ExtractionRecord.LoadAsync(archive, ct);
            if (record is not null && record.CountMissing(target, options.ClipsListed) == 0)
            {
                Interlocked.Increment(ref _skipped);
                Tally(record);
                return;
            }
            var first = await ArchiveDigest.LoadAsync(archive, ct);
            var differs = ArchiveDigest.DiffersPath(archive);
            if (first is not null && await ArchiveDigest.LoadAsync(differs, ct) is { } other && File.Exists(differs))
                throw ArchiveDigest.Differs(archive, first, other);
            // A fresh copy of the archive may differ from the one a stale extraction record describes.
            var fresh = !File.Exists(archive);
            if (fresh) File.Delete(ExtractionRecord.PathFor(archive));
            if (!await EnsureSourceAsync(source, index, uri, archive, ct)) return;
            var digest = fresh || first is null ? await HoldToFirstDownloadAsync(source, archive, first, ct) : first;
            SafeExtractor.Result result;
            try
            {
                result = await SafeExtractor.ExtractAsync(archive, target, options.MaxCompressionRatio, progress, ct);
            }
            catch (KonvidException e)
            {
                store.SetSource(source.Name, new TransferState(TransferState.Failed, e.Problem, store.Source(source.Name)?.Attempts ?? 0, false));
                throw;
            }
            // Only an archive that opened as a whole zip is worth holding later downloads to.
            if (first is null) await digest.SaveAsync(archive, ct);
            await (result.Record with { UnpackTo = Path.GetRelativePath(layout.Root, target).Replace('\\', '/') }).SaveAsync(archive, ct);
            Interlocked.Add(ref _extracted, result.Extracted);
            Tally(result.Record);
        }

        /// <summary>
        /// The archive's size and SHA-256, to be recorded once it extracted when it is the first download; a later download
        /// that differs from the first is moved apart (with its digest, so the next run reports it without hashing again)
        /// and fails the run.
        /// </summary>
        private async Task<ArchiveDigest> HoldToFirstDownloadAsync(CatalogSource source, string archive, ArchiveDigest? first, CancellationToken ct)
        {
            progress.Info($"Download: {source.Name}: hashing the archive to hold later downloads to it");
            var now = await ArchiveDigest.OfAsync(archive, ct);
            if (first is null || first.SameContent(now)) return now;
            var differs = ArchiveDigest.DiffersPath(archive);
            File.Move(archive, differs, overwrite: true);
            await now.SaveAsync(differs, ct);
            store.SetSource(source.Name, new TransferState(TransferState.Failed, "differs from its first download", store.Source(source.Name)?.Attempts ?? 0, false));
            throw ArchiveDigest.Differs(archive, first, now);
        }

        private void Tally(ExtractionRecord record)
        {
            Interlocked.Add(ref _items, record.Files.Count + record.Refused.Count);
            Interlocked.Add(ref _present, record.Files.Count);
            Interlocked.Add(ref _refused, record.Refused.Count);
            foreach (var r in record.Refused) _attrition.Add(new AttritionEntry(r.Entry, Stage.Download, r.Reason));
        }

        private async Task ClipListAsync(CatalogSource source, int index, Uri uri, CancellationToken ct)
        {
            var list = SavedPath(source);
            if (!await EnsureSourceAsync(source, index, uri, list, ct)) return;
            var rows = await ClipList.ReadAsync(list, uri, ct);
            Interlocked.Add(ref _items, rows.Count);
            using var task = progress.Start($"{source.Name}: {rows.Count} clips", 0, "bytes");
            var meter = new TransferMeter(task);
            await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = options.Jobs, CancellationToken = ct },
                (row, c) => new ValueTask(ClipAsync(row, meter, c)));
        }

        private async Task ClipAsync(ClipRow row, TransferMeter meter, CancellationToken ct)
        {
            var previous = store.Clip(row.FileName);
            if (row.Problem is { } problem)
            {
                store.SetClip(row.FileName, new TransferState(TransferState.Failed, problem, previous?.Attempts ?? 0, true));
                ClipFailed(row.FileName, problem, permanent: true);
                return;
            }
            var destination = Path.Combine(layout.Clips, row.FileName);
            // Presence is the proof: a clip appears only by renaming a complete .part. One that Verify quarantined is gone, so it is fetched again.
            if (File.Exists(destination))
            {
                if (previous is not { IsDone: true }) store.SetClip(row.FileName, new TransferState(TransferState.Done, null, previous?.Attempts ?? 0, false));
                Interlocked.Increment(ref _skipped);
                Interlocked.Increment(ref _present);
                return;
            }
            if (previous is { IsPermanentFailure: true } && !options.RetryFailed)
            {
                ClipFailed(row.FileName, previous.Reason ?? "failed permanently", permanent: true);
                return;
            }
            var part = Path.Combine(layout.Downloads, "clips", row.FileName + ".part");
            var outcome = await fetcher.FetchAsync(row.Url!, destination, part, null, meter, ct);
            store.SetClip(row.FileName, outcome.ToState(previous));
            await store.SaveSoonAsync(ct);
            if (outcome.Ok)
            {
                Interlocked.Increment(ref _fetched);
                Interlocked.Increment(ref _present);
            }
            else ClipFailed(row.FileName, outcome.Reason ?? "failed", outcome.Permanent);
        }

        private void ClipFailed(string id, string reason, bool permanent)
        {
            Interlocked.Increment(ref permanent ? ref _permanent : ref _transient);
            _attrition.Add(new AttritionEntry(id, Stage.Download, permanent ? $"{reason} (permanent)" : $"{reason} (transient; re-run Download)"));
        }

        /// <summary>Makes sure a source's file is on disk; false (and the failure recorded) when it could not be fetched.</summary>
        private async Task<bool> EnsureSourceAsync(CatalogSource source, int index, Uri uri, string destination, CancellationToken ct)
        {
            var previous = store.Source(source.Name);
            if (File.Exists(destination))
            {
                if (previous is not { IsDone: true }) store.SetSource(source.Name, new TransferState(TransferState.Done, null, previous?.Attempts ?? 0, false));
                Interlocked.Increment(ref _skipped);
                return true;
            }
            if (previous is { IsPermanentFailure: true } && !options.RetryFailed)
            {
                SourceFailed(source, index, previous.Reason ?? "failed permanently", permanent: true);
                return false;
            }
            TransferOutcome outcome;
            using (var task = progress.Start(source.Name, 0, "bytes"))
                outcome = await fetcher.FetchAsync(uri, destination, Path.Combine(layout.Downloads, source.Name + ".part"), source.Sha256, new TransferMeter(task), ct);
            store.SetSource(source.Name, outcome.ToState(previous));
            await store.SaveAsync(ct);
            if (outcome.Ok)
            {
                Interlocked.Increment(ref _fetched);
                return true;
            }
            SourceFailed(source, index, outcome.Reason ?? "failed", outcome.Permanent);
            return false;
        }

        private void SourceFailed(CatalogSource source, int index, string reason, bool permanent)
        {
            if (source.Optional)
            {
                Interlocked.Increment(ref _optionalMissing);
                progress.Warn($"Download: optional source {source.Name} is missing: {reason}");
                return;
            }
            Interlocked.Increment(ref _items);
            Interlocked.Increment(ref permanent ? ref _permanent : ref _transient);
            _attrition.Add(new AttritionEntry(source.Name, Stage.Download, permanent ? $"{reason} (permanent)" : $"{reason} (transient; re-run Download)"));
            _required.Enqueue(new SourceFailure(source, index, reason, permanent));
        }

        private string SavedPath(CatalogSource source) =>
            source.SaveAs is { } saveAs ? layout.Resolve(saveAs) : Path.Combine(layout.Downloads, source.Name);
    }
}
