using System.Globalization;
using System.Text.Json;
using Konvid.Core.Features.Deep;
using Konvid.Core.Workspace;

namespace Konvid.Core.Predict;

/// <summary>
/// Predict: scores clips (files, folders, globs, list files; see <see cref="ClipSet"/>) with a registered model,
/// <see cref="PredictOptions.Jobs"/> at a time. The result alone goes to <c>stdout</c>: a line a scored clip as it
/// finishes ("path: MOS 3.456"), or with <see cref="PredictOptions.Json"/> one JSON document at the end. A clip that
/// fails is one line through progress (stderr) and one row with its error, never the end of the batch; with an
/// <c>--out</c> file, clips whose content it already scored are skipped. Exit: 0 when every clip has a MOS, 1 when
/// any failed (the target fails after writing every row), also 1 for a usage problem (no clips, no model).
/// </summary>
public static class BatchPredictor
{
    public static async Task<PredictReport> RunAsync(IReadOnlyList<string> clipSpecs, PredictOptions options, IProgressReporter progress, TextWriter stdout, CancellationToken ct)
    {
        if (clipSpecs.Count == 0)
            throw new KonvidException("Predict needs clips", "./build.sh Predict --clip path/to/clip.mp4 (or a folder, a quoted glob, a list file)");
        var clips = ClipSet.Expand(clipSpecs, Directory.GetCurrentDirectory());
        if (clips.Count == 0)
            throw new KonvidException($"Predict: no video file in {string.Join(", ", clipSpecs)}",
                $"folders and globs take files ending in {string.Join(" ", ClipSet.VideoExtensions.Order(StringComparer.Ordinal))}");
        if (!Directory.Exists(options.ModelDir))
            throw new KonvidException($"Predict: no model in {options.ModelDir}", "run Phase3 (or Gate) to register one, or point --model at a models/ or registry folder");

        using var predictor = Predictor.Load(options.ModelDir);
        var seeds = predictor.Cards.Select(c => c.Recipe.Seed).ToList();
        await using var outFile = options.Out is { } o ? await ScoreFile.OpenAsync(o, predictor.ModelId, seeds, ct) : null;
        using var featurizer = ClipScorer.NeedsDeepFeatures(predictor) ? DeepFeaturizer.Create(options.Device, progress) : null;
        var jobs = Math.Max(1, options.Jobs);
        // As Features: the cores shared among the clips decoding at once; one clip alone lets ffmpeg choose.
        var decodeThreads = jobs > 1 ? Math.Max(1, Environment.ProcessorCount / jobs) : 0;

        var rows = new ClipScore?[clips.Count];
        var already = 0;
        var scoredHashes = new Dictionary<string, Task<Prediction>>(StringComparer.Ordinal);
        var gate = new Lock();
        using var stdoutGate = new SemaphoreSlim(1, 1);
        using (var task = progress.Start("Predict", clips.Count, "clips"))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, clips.Count), new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = ct }, async (i, token) =>
            {
                var path = Display(clips[i]);
                string? sha = null;
                try
                {
                    sha = await FileHasher.Sha256Async(clips[i], ct: token);
                    if (outFile?.Scored.Contains(sha) == true)
                    {
                        Interlocked.Increment(ref already);
                        return;
                    }
                    // The same content under two names is scored once.
                    Task<Prediction> scoring;
                    lock (gate)
                    {
                        if (!scoredHashes.TryGetValue(sha, out scoring!))
                            scoredHashes[sha] = scoring = ClipScorer.ScoreAsync(clips[i], sha, predictor, featurizer, decodeThreads, token);
                    }
                    var prediction = await scoring;
                    rows[i] = new ClipScore(path, sha, predictor.ModelId, prediction.Mos, prediction.PerSeed, null);
                    await stdoutGate.WaitAsync(token);
                    try
                    {
                        if (!options.Json) await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{path}: MOS {prediction.Mos:0.000}"));
                    }
                    finally { stdoutGate.Release(); }
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    var why = (e is KonvidException k ? k.Problem : $"{e.GetType().Name}: {e.Message}").Split('\n')[0].Trim();
                    rows[i] = new ClipScore(path, sha, predictor.ModelId, null, [], why);
                    progress.Warn($"Predict: {path}: {why}");
                }
                finally { task.Advance(); }
                if (outFile is not null && rows[i] is { } row) await outFile.AppendAsync(row, token);
            });
        }

        var report = new PredictReport(options.ModelDir, predictor.ModelId, rows.OfType<ClipScore>().ToList(), already, outFile?.Path);
        if (options.Json) await stdout.WriteLineAsync(ToJson(report));
        await stdout.FlushAsync(ct);
        var scored = report.Clips.Count - report.Failed;
        progress.Info($"Predict: {scored} clips scored, {report.Failed} failed" +
                      (outFile is null ? "" : $", {already} already in {outFile.Path} (same content, not scored again)"));
        if (report.Failed > 0)
        {
            var first = report.Clips.First(c => !c.Ok);
            throw new KonvidException($"Predict: {report.Failed} of {clips.Count} clips failed (first: {first.Path}: {first.Error})",
                outFile is null ? "the other clips were scored; fix or drop the failing ones" : $"their rows in {outFile.Path} hold the errors; a re-run with the same --out tries only those");
        }
        return report;
    }

    /// <summary>The batch as one JSON document: the model, then a row a clip (path, sha256, mos, per-seed MOS, error).</summary>
    public static string ToJson(PredictReport report) => JsonSerializer.Serialize(new
    {
        model_dir = report.ModelDir,
        model = report.Model,
        scored = report.Clips.Count(c => c.Ok),
        failed = report.Failed,
        already_in_out = report.AlreadyScored,
        clips = report.Clips.Select(c => new
        {
            path = c.Path,
            sha256 = c.Sha256,
            mos = c.Mos,
            seeds = c.PerSeed.Select(p => new { seed = p.Seed, mos = p.Mos }),
            error = c.Error,
        }),
    });

    /// <summary>A clip below the working folder is named relative to it (as the user typed it), any other in full.</summary>
    private static string Display(string fullPath)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative;
    }
}
