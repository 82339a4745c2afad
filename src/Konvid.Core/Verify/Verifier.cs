using Konvid.Core.Workspace;

namespace Konvid.Core.Verify;

/// <summary>
/// The Verify stage: SHA-256 of every clip under clips/ into manifest.sha256. Against an existing manifest (or an
/// external one) a mismatching clip is moved to quarantine/ and its manifest entry kept, so the next Download
/// fetches or re-extracts it and the next Verify accepts the restored file. Unchanged files are not hashed again.
/// Archives whose clips are all extracted and verified are then deleted (<see cref="ArchivePruner"/>).
/// </summary>
public static class Verifier
{
    /// <summary>The version of manifest.sha256, the quarantine and the size+mtime state. Bump it when they change.</summary>
    public const string FormatVersion = "1";

    private const string ClipsPrefix = "clips/";

    public static async Task<VerifyReport> RunAsync(CorpusLayout layout, VerifyOptions options, IProgressReporter progress, CancellationToken ct)
    {
        if (options.Jobs < 1) throw new KonvidException($"Verify: --jobs {options.Jobs} is not a positive number", "pass --jobs 1 or more");
        if (!Directory.Exists(layout.Clips))
            throw new KonvidException($"Verify: no clips folder at {layout.Clips}", "run Download first");

        AtomicFile.SweepLeftovers(nameof(Stage.Verify), progress, TempPlace.FileAt(layout.Manifest), TempPlace.FileAt(VerifyState.PathFor(layout)));
        // Read at once: at KonViD-150k's size each is a few tenths of a second of one core. The run starts when the
        // clips are listed (by the engine, before this stage, or now), so a clip written during the listing is hashed again next time.
        var startedTicks = options.ClipsListed is { } listing && listing.Covers(layout.Clips) ? Math.Min(listing.ListedAtTicks, DateTime.UtcNow.Ticks) : DateTime.UtcNow.Ticks;
        var filesListed = Task.Run(() => ClipFiles(layout.Clips, options.ClipsListed), ct);
        var stateRead = Task.Run(() => VerifyState.LoadAsync(layout, ct), ct);
        var (expected, listed) = await ExpectedAsync(layout, options, ct);
        var state = await stateRead;
        var files = await filesListed;

        var digests = new Dictionary<string, VerifiedFile>(files.Count, StringComparer.Ordinal);
        var toHash = new List<ClipFile>();
        foreach (var f in files)
        {
            if (state.Trusted(f.Relative, f.Length, f.MtimeTicks) is { } known) digests[f.Relative] = new VerifiedFile(f.Length, f.MtimeTicks, known);
            else toHash.Add(f);
        }

        long bytesHashed = 0;
        using (var task = progress.Start("verify sha256", toHash.Sum(f => f.Length), "bytes"))
        {
            await Parallel.ForEachAsync(toHash, new ParallelOptions { MaxDegreeOfParallelism = options.Jobs, CancellationToken = ct }, async (f, c) =>
            {
                var sha = await FileHasher.Sha256Async(f.FullPath, n => { task.Advance(n); Interlocked.Add(ref bytesHashed, n); }, c);
                lock (digests) digests[f.Relative] = new VerifiedFile(f.Length, f.MtimeTicks, sha);
            });
        }

        var attrition = new List<AttritionEntry>();
        var manifest = new Dictionary<string, string>(expected, StringComparer.Ordinal);
        var verified = new Dictionary<string, VerifiedFile>(StringComparer.Ordinal);
        int added = 0, quarantined = 0;
        foreach (var file in files)
        {
            var relative = file.Relative;
            var actual = digests[relative];
            if (expected.TryGetValue(relative, out var want) && want != actual.Sha256)
            {
                Quarantine(layout, relative, file.FullPath);
                quarantined++;
                attrition.Add(new AttritionEntry(Path.GetFileName(relative), Stage.Verify,
                    $"sha256 {actual.Sha256} differs from the manifest's {want}; moved to quarantine/, the next Download fetches it again"));
                continue;
            }
            if (!expected.ContainsKey(relative))
            {
                manifest[relative] = actual.Sha256;
                added++;
            }
            verified[relative] = actual;
        }

        var onDisk = files.Select(f => f.Relative).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Keys.Where(k => !onDisk.Contains(k)).Order(StringComparer.Ordinal).ToList();
        attrition.AddRange(missing.Select(m => new AttritionEntry(Path.GetFileName(m), Stage.Verify,
            $"{m} is listed in the manifest but missing; re-run Download")));

        var entries = manifest.Select(kv => new ManifestEntry(kv.Value, kv.Key)).ToList();
        // A clip added to manifest.sha256 as read changes it; otherwise it is written only if it differs.
        if (options.ExternalManifest is null && added > 0
            || !Same(options.ExternalManifest is null ? listed : await Manifest.ReadAsync(layout.Manifest, ct), entries))
            await Manifest.WriteAsync(layout.Manifest, entries, ct);
        await new VerifyState(startedTicks, verified).SaveAsync(layout, ct);
        await AttritionLedger.WriteStageAsync(layout, Stage.Verify, attrition, null, ct);

        var pruned = options.KeepArchives ? [] : await ArchivePruner.PruneAsync(layout, verified, ct);

        var report = new VerifyReport(files.Count - quarantined, toHash.Count, files.Count - toHash.Count, added, quarantined, missing.Count, bytesHashed, attrition,
            pruned.Select(p => p.Archive).ToList(), pruned.Sum(p => p.Bytes));
        progress.Info($"Verify: {report.Clips} clips verified ({report.Hashed} hashed, {report.Unchanged} unchanged, {report.Added} new), "
                      + $"{report.Quarantined} quarantined, {report.Missing} missing");
        if (pruned.Count > 0)
            progress.Info($"Verify: deleted {string.Join(", ", report.ArchivesDeleted)} ({DiskUse.Format(report.BytesFreed)}): every clip extracted and verified; "
                          + "Download fetches an archive again only if one of its clips goes missing (--keep-archives keeps them)");
        if (quarantined + missing.Count > 0)
            progress.Warn($"Verify: {quarantined} clips quarantined and {missing.Count} missing; re-run Download, then Verify");
        return report;
    }

    /// <summary>What the clips should hash to: the external manifest when given, else manifest.sha256, keyed by "clips/..." path.</summary>
    private static async Task<(Dictionary<string, string> Expected, IReadOnlyList<ManifestEntry> Listed)> ExpectedAsync(CorpusLayout layout, VerifyOptions options, CancellationToken ct)
    {
        var source = options.ExternalManifest ?? layout.Manifest;
        if (options.ExternalManifest is not null && !File.Exists(source))
            throw new KonvidException($"Verify: manifest {source} does not exist", "pass --manifest with an existing sha256sum-format file");
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        var listed = await Manifest.ReadAsync(source, ct);
        foreach (var entry in listed)
        {
            var path = entry.RelativePath.Replace('\\', '/');
            if (path.StartsWith("./", StringComparison.Ordinal)) path = path[2..];
            if (!path.StartsWith(ClipsPrefix, StringComparison.Ordinal)) path = ClipsPrefix + path;
            if (path.Split('/').Contains(".."))
                throw new KonvidException($"Verify: {source}: path '{entry.RelativePath}' leaves the corpus folder", "use paths relative to the corpus folder");
            expected.TryAdd(path, entry.Sha256);
        }
        return (expected, listed);
    }

    /// <summary>Moves a bad clip out of clips/ (keeping its sub-folders) so it is inspected, not used, and re-fetched.</summary>
    private static void Quarantine(CorpusLayout layout, string relative, string fullPath)
    {
        var target = Path.Combine(layout.Quarantine, relative[ClipsPrefix.Length..]);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(fullPath, target, overwrite: true);
    }

    /// <summary>
    /// Whether manifest.sha256 as read already lists exactly these entries in path order, as it is written, so an unchanged
    /// manifest is not rewritten (one in another order is written again, sorted).
    /// </summary>
    private static bool Same(IReadOnlyList<ManifestEntry> current, IReadOnlyList<ManifestEntry> entries) =>
        current.Count == entries.Count && current.SequenceEqual(entries.OrderBy(e => e.RelativePath, StringComparer.Ordinal));

    /// <summary>A file under clips/: its "clips/..." path, size and mtime, as one directory listing reports them.</summary>
    private sealed record ClipFile(string Relative, string FullPath, long Length, long MtimeTicks);

    /// <summary>Every file under clips/ but temp and partial downloads, sorted by path, with its size and mtime.</summary>
    private static List<ClipFile> ClipFiles(string clips, FolderFiles? listed)
    {
        var prefix = clips.TrimEnd(Path.DirectorySeparatorChar).Length + 1;
        var files = FileListing.Of(clips, name => !name.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal) && !name.EndsWith(".part", StringComparison.Ordinal), listed)
            .Select(f => new ClipFile(ClipsPrefix + f.FullPath[prefix..].Replace('\\', '/'), f.FullPath, f.Length, f.MtimeTicks))
            .ToList();
        files.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        return files;
    }
}
