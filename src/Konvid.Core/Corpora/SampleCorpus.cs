using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Konvid.Core.Workspace;

namespace Konvid.Core.Corpora;

/// <summary>
/// Makes the sample corpus (DESIGN.md "The sample corpus"): scenes from ffmpeg's lavfi sources, each distorted at
/// graded levels, labelled by ffmpeg's SSIM against the undistorted scene mapped to 1-5, packed in KoNViD-1k's
/// published layout. Made once: a complete origin is reused; anything else is rebuilt in a temp folder beside it
/// and renamed into place, so an interrupted run never leaves a half-made origin behind.
/// </summary>
public static class SampleCorpus
{
    public static async Task<SampleOrigin> EnsureAsync(string originDir, SampleOptions options, IProgressReporter progress, CancellationToken ct)
    {
        options.Validate();
        var origin = Path.TrimEndingDirectorySeparator(Path.GetFullPath(originDir));
        var parent = Path.GetDirectoryName(origin) ?? throw new KonvidException($"sample corpus: {origin} has no parent folder", "pass a folder inside the work dir");
        Directory.CreateDirectory(parent);

        if (await SampleMarker.ReadCompleteAsync(origin, options.Fingerprint, ct) is { } existing)
        {
            progress.Info($"sample corpus: {origin} is complete ({existing.Clips.Count} clips), reusing it");
            return Result(origin, existing, generated: false);
        }

        RemoveLeftovers(parent, Path.GetFileName(origin));
        var temp = Path.Combine(parent, $".{Path.GetFileName(origin)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var marker = await BuildAsync(temp, options, progress, ct);
            // Another process may have finished the same origin meanwhile; its bytes equal ours, keep it.
            if (await SampleMarker.ReadCompleteAsync(origin, options.Fingerprint, ct) is { } raced)
                return Result(origin, raced, generated: false);
            Publish(temp, origin, ct);
            progress.Info($"sample corpus: {marker.Clips.Count} clips made in {stopwatch.Elapsed.TotalSeconds:0.0} s into {origin}; " +
                          $"SSIM {marker.Clips.Min(c => c.Ssim):0.000}-{marker.Clips.Max(c => c.Ssim):0.000}, MOS {marker.Clips.Min(c => c.Mos):0.00}-{marker.Clips.Max(c => c.Mos):0.00}");
            return Result(origin, marker, generated: true);
        }
        finally
        {
            if (Directory.Exists(temp)) TryDelete(temp);
        }
    }

    /// <summary>A KoNViD-like 10-digit id, stable for a scene and variant, unrelated to the label or the order.</summary>
    internal static long FlickrId(string scene, string variant)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"konvid-sample/{scene}/{variant}"));
        return 1_000_000_000L + (long)(BitConverter.ToUInt64(hash, 0) % 9_000_000_000UL);
    }

    private static async Task<SampleMarker> BuildAsync(string dir, SampleOptions options, IProgressReporter progress, CancellationToken ct)
    {
        var work = Path.Combine(dir, "work");
        var sceneDir = Directory.CreateDirectory(Path.Combine(work, "scenes")).FullName;
        var clipDir = Directory.CreateDirectory(Path.Combine(work, "clips")).FullName;
        var scenes = SampleScenes.All.Take(options.Scenes)
            .Select((s, i) => (Scene: s, Geometry: SampleGeometry.For(i, options.Width, options.Height, options.Seconds), Reference: Path.Combine(sceneDir, s.Name + ".y4m")))
            .ToList();
        var variants = SampleVariants.Pick(options.VariantsPerScene);
        var plan = scenes.SelectMany(s => variants.Select(v => (s.Scene, s.Geometry, s.Reference, Variant: v, Id: FlickrId(s.Scene.Name, v.Name)))).ToList();
        if (plan.Select(p => p.Id).Distinct().Count() != plan.Count)
            throw new InvalidOperationException("two sample clips hash to one flickr_id; change a scene or variant name");

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Jobs, CancellationToken = ct };
        using (var task = progress.Start("Sample scenes", scenes.Count, "scenes"))
            await Parallel.ForEachAsync(scenes, parallel, async (s, c) =>
            {
                await SampleFfmpeg.RenderSceneAsync(s.Scene, s.Geometry, s.Reference, c);
                task.Advance();
            });

        var ssim = new double[plan.Count];
        using (var task = progress.Start("Sample clips", plan.Count, "clips"))
            await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), parallel, async (i, c) =>
            {
                var p = plan[i];
                var what = $"{p.Scene.Name}/{p.Variant.Name}";
                var clip = Path.Combine(clipDir, $"{p.Id}.mp4");
                await SampleFfmpeg.EncodeVariantAsync(p.Reference, p.Variant, p.Geometry, clip, what, c);
                ssim[i] = await SampleFfmpeg.SsimAsync(clip, p.Reference, what, c);
                task.Advance();
            });

        var mapping = SampleMosMapping.Fit(ssim);
        var clips = plan.Select((p, i) => new SampleClip(p.Id, 1_000_000 + i, p.Scene.Name, p.Variant.Name, p.Geometry.Width, p.Geometry.Height,
                p.Geometry.Rate, p.Geometry.Seconds, ssim[i], double.Parse(SampleArchive.FormatMos(mapping.Mos(ssim[i])), System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        var videos = Path.Combine(dir, SampleArchive.VideosZip);
        var metadata = Path.Combine(dir, SampleArchive.MetadataZip);
        await SampleArchive.WriteVideosAsync(videos, clips, clipDir, ct);
        await SampleArchive.WriteMetadataAsync(metadata, clips, ct);
        Directory.Delete(work, recursive: true);

        var marker = new SampleMarker(SampleMarker.CurrentGenerator, options.Fingerprint, mapping,
            [await SampleMarker.DescribeAsync(videos, ct), await SampleMarker.DescribeAsync(metadata, ct)], clips);
        await AtomicFile.WriteAllTextAsync(Path.Combine(dir, SampleMarker.FileName), marker.ToJson(), ct);
        return marker;
    }

    /// <summary>
    /// Renames the finished folder into place. An origin already there (other options, or damaged) is first moved
    /// aside, so at every instant the origin path is either absent, the old origin or the new one.
    /// </summary>
    private static void Publish(string temp, string origin, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        string? aside = null;
        if (Directory.Exists(origin))
        {
            aside = Path.Combine(Path.GetDirectoryName(origin)!, $".{Path.GetFileName(origin)}.{Guid.NewGuid():N}.old");
            Directory.Move(origin, aside);
        }
        else if (File.Exists(origin))
        {
            throw new KonvidException($"sample corpus: {origin} is a file, not a folder", "move it away; the sample origin is a folder the generator owns");
        }
        Directory.Move(temp, origin);
        if (aside is not null) TryDelete(aside);
    }

    /// <summary>
    /// Temp folders of runs that were killed (their process is gone) and origins moved aside but never deleted.
    /// Temp folders of live processes are left alone: another process may be making the same origin right now.
    /// </summary>
    private static void RemoveLeftovers(string parent, string name)
    {
        foreach (var dir in Directory.EnumerateDirectories(parent, $".{name}.*"))
        {
            var parts = Path.GetFileName(dir).Split('.');
            var stale = dir.EndsWith(".old", StringComparison.Ordinal)
                || (dir.EndsWith(".tmp", StringComparison.Ordinal) && parts.Length >= 4 && int.TryParse(parts[^3], out var pid) && !LocalProcess.IsRunning(pid));
            if (stale) TryDelete(dir);
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static SampleOrigin Result(string origin, SampleMarker marker, bool generated) =>
        new(origin, Path.Combine(origin, SampleArchive.VideosZip), Path.Combine(origin, SampleArchive.MetadataZip), marker.Mapping, marker.Clips, generated);
}
