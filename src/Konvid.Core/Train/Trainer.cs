using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Konvid.Core.Jsonl;
using Konvid.Core.Workspace;
using Microsoft.ML;

namespace Konvid.Core.Train;

/// <summary>
/// Train: one mos_regressor_v1 head per seed on the same clip-id split, exported to ONNX, and measured as exported
/// (ONNX Runtime) on the held-out fold. Writes models/seed&lt;N&gt;.onnx, seed&lt;N&gt;.card.json,
/// heldout_seed&lt;N&gt;.csv, cross_validation.json and scatter.png, each atomically.
/// </summary>
public static class Trainer
{
    private const int MinHeldOutRows = 4, MinTrainRows = 10;
    public const double ParityTolerance = 1e-4;

    /// <summary>The version of the training recipe (split, learner, hyper-parameters, metrics). Bump it when models would come out differently.</summary>
    public const string RecipeVersion = "3";

    /// <summary>The version of the ONNX export (<see cref="OnnxExport"/>: graph rewrite, input and output) and of the card. Bump it when either changes.</summary>
    public const string ExportVersion = "2";

    public static async Task<TrainReport> RunAsync(CorpusLayout layout, TrainOptions options, IProgressReporter progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        AtomicFile.SweepLeftovers(nameof(Stage.Train), progress, TempPlace.Tree(layout.Models));
        if (options.Holdout is <= 0 or >= 1)
            throw new KonvidException($"Train: --holdout {options.Holdout} is not a fraction in (0, 1)", "use e.g. --holdout 0.1");
        if (options.SeedList.Count == 0 || options.SeedList.Distinct().Count() != options.SeedList.Count || options.SeedList.Any(s => s < 0))
            throw new KonvidException($"Train: --seeds {string.Join(",", options.SeedList)} must be distinct non-negative integers", "use e.g. --seeds 0,1,2,3,4");

        var phases = new PhaseClock();
        var matrix = await CorpusMatrix.LoadAsync(layout, null, progress, ct);
        var read = clock.Elapsed;
        await AttritionLedger.WriteStageAsync(layout, Stage.Train, matrix.Skipped, null, ct);
        options.MaxSkipped?.CheckTrainingRows(LossTally.Of(matrix.Rows, matrix.Ids.Select(ClipKey.Of).ToHashSet(StringComparer.Ordinal), matrix.Skipped), layout.CorpusJsonl);
        var split = Split(matrix, options.Holdout);
        if (split.HeldOut.Length < MinHeldOutRows || split.Train.Length < MinTrainRows)
            throw new KonvidException(
                $"Train: {layout.CorpusJsonl} gives {split.Train.Length} training and {split.HeldOut.Length} held-out rows; at least {MinTrainRows} and {MinHeldOutRows} are needed",
                "add clips to the corpus or raise --holdout");
        progress.Info($"Train: {matrix.Rows} rows x {matrix.Columns} features; {split.Train.Length} train, {split.HeldOut.Length} held-out");

        Directory.CreateDirectory(layout.Models);
        var heldOutMos = split.HeldOut.Select(r => (double)matrix.Mos[r]).ToArray();
        var heldOutValues = Gather(matrix, split.HeldOut);
        var seeds = new List<SeedReport>();
        var predictions = new List<float[]>();
        IMosHead? firstHead = null;
        using (var task = progress.Start("Train seeds", options.SeedList.Count, "seeds"))
        {
            foreach (var seed in options.SeedList)
            {
                ct.ThrowIfCancellationRequested();
                var (report, predicted, head) = await Task.Run(() => TrainSeedAsync(layout, matrix, split, heldOutMos, heldOutValues, seed, options, phases, ct), ct);
                seeds.Add(report);
                predictions.Add(predicted);
                firstHead ??= head;
                progress.Info($"Train: seed {seed} {report.Trainer}: held-out PLCC {report.Metrics.Plcc:F4} SROCC {report.Metrics.Srocc:F4} RMSE {report.Metrics.Rmse:F4}");
                task.Advance();
            }
        }
        RemoveStaleSeeds(layout.Models, options.SeedList);

        var ensemble = new double[heldOutMos.Length];
        for (var i = 0; i < ensemble.Length; i++) ensemble[i] = predictions.Average(p => (double)p[i]);
        var ensembleMetrics = Measure(ensemble, heldOutMos, "Train: the seeds' mean");
        var title = $"{ModelCard.ModelName}, {options.SeedList.Count} seeds' mean, held-out n={ensemble.Length}: " +
                    $"PLCC {ensembleMetrics.Plcc:F3} SROCC {ensembleMetrics.Srocc:F3} KROCC {ensembleMetrics.Krocc:F3} RMSE {ensembleMetrics.Rmse:F3}";
        await AtomicFile.WriteAllBytesAsync(Path.Combine(layout.Models, "scatter.png"), ScatterPlot.Render(heldOutMos, ensemble, title), ct);

        CrossValidation? cv = null;
        var cvPath = Path.Combine(layout.Models, CrossValidation.FileName);
        if (options.CvFolds >= 2)
        {
            var reusable = new FittedFold(split.HeldOut, firstHead!);
            cv = await Task.Run(() => CrossValidate(matrix, options, options.SeedList[0], firstHead!, reusable, phases, progress, ct), ct);
            await AtomicFile.WriteAllTextAsync(cvPath, JsonSerializer.Serialize(cv, ModelCard.Json) + "\n", ct);
            progress.Info($"Train: {cv.Folds}-fold cross-validated PLCC {cv.PlccMean:F4} +- {cv.PlccStd:F4} (pooled {cv.PooledPlcc:F4})");
        }
        else if (File.Exists(cvPath)) File.Delete(cvPath);

        var timings = phases.Result(Path.GetFileName(matrix.Source), read);
        progress.Info($"Train: {timings}");
        return new TrainReport(matrix.Rows, matrix.Columns, split.Train.Length, split.HeldOut.Length, matrix.Skipped.Count,
            seeds, ensembleMetrics, cv, layout.Models, clock.Elapsed, timings);
    }

    internal sealed record RowSplit(int[] Train, int[] HeldOut);

    internal static RowSplit Split(CorpusMatrix matrix, double holdout)
    {
        var train = new List<int>();
        var heldOut = new List<int>();
        for (var i = 0; i < matrix.Rows; i++) (HoldoutSplit.IsHeldOut(matrix.Ids[i], holdout) ? heldOut : train).Add(i);
        return new RowSplit(train.ToArray(), heldOut.ToArray());
    }

    /// <summary>
    /// Chooses the learner on the seed's validation carve-out (for Auto: the better tree learner blended with the kernel,
    /// weighted there), then fits it on every training row. Above <see cref="TrainOptions.ChoiceRows"/> fit rows the
    /// candidates are fitted on a sample of that many, drawn by the seed: which learner suits the corpus shows on a
    /// sample, and the choice then costs a fraction of a full fit.
    /// </summary>
    internal static (IMosHead Model, MosLearner Learner, IReadOnlyDictionary<string, double> ValidationRmse, int ValidationRows, string Selection)
        FitSeed(CorpusMatrix matrix, int[] train, int seed, TrainOptions options, CancellationToken ct, PhaseClock? phases = null)
    {
        phases ??= new PhaseClock();
        var validationRmse = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var validation = train.Where(r => HoldoutSplit.IsValidation(matrix.Ids[r], seed, options.ValidationFraction)).ToArray();
        var fit = train.Where(r => !HoldoutSplit.IsValidation(matrix.Ids[r], seed, options.ValidationFraction)).ToArray();
        var sampled = fit.Length > options.ChoiceRows;
        if (sampled)
        {
            var fraction = (double)options.ChoiceRows / fit.Length;
            fit = fit.Where(r => HoldoutSplit.IsInChoiceSample(matrix.Ids[r], seed, fraction)).ToArray();
        }
        var (candidates, excluded) = Candidates(options.Learner, train.Length, matrix.Columns, options.Kernel);
        if (sampled) excluded += $"; candidates fitted on a sample of {fit.Length} of the other training rows drawn by the seed";
        MosLearner learner;
        string selection;
        KernelChoice? kernelChoice = null;
        var blendTrees = MosLearner.LightGbm;
        var kernelWeight = 0.0;
        if (candidates.Length == 1)
        {
            learner = candidates[0];
            selection = options.Learner == learner ? $"fixed by the caller ({learner})" : $"{learner}, the only candidate{excluded}";
        }
        else if (validation.Length < MinHeldOutRows || fit.Length < MinTrainRows)
        {
            learner = candidates[0];
            selection = $"{learner} by default: the validation carve-out ({validation.Length} rows) is too small to choose on{excluded}";
        }
        else
        {
            var mos = validation.Select(r => (double)matrix.Mos[r]).ToArray();
            var onValidation = new Dictionary<MosLearner, double[]>();
            foreach (var candidate in candidates)
            {
                var head = phases.Choice(() => MosTrainer.FitHead(matrix, fit, candidate, options, seed, ct));
                if (head is KernelRidgeHead kernel) kernelChoice = kernel.Head.Choice;
                onValidation[candidate] = head.Predict(matrix, validation).Select(p => (double)Math.Clamp(p, OnnxExport.MosMin, OnnxExport.MosMax)).ToArray();
                validationRmse[candidate.ToString()] = Correlation.Rmse(onValidation[candidate], mos);
            }
            learner = candidates.MinBy(c => validationRmse[c.ToString()]);
            selection = $"lowest RMSE on this seed's validation carve-out ({validation.Length} of the training rows) among {string.Join(", ", candidates)}; " +
                        $"ties go to the first{excluded}";
            if (options.BlendFamilies && candidates.Contains(MosLearner.Kernel))
            {
                blendTrees = candidates.Where(c => c != MosLearner.Kernel).MinBy(c => validationRmse[c.ToString()]);
                kernelWeight = BlendWeight(onValidation[blendTrees], onValidation[MosLearner.Kernel], mos);
                validationRmse[MosLearner.Blend.ToString()] = Correlation.Rmse(onValidation[blendTrees].Zip(onValidation[MosLearner.Kernel],
                    (t, k) => Math.Clamp((1 - kernelWeight) * t + kernelWeight * k, OnnxExport.MosMin, OnnxExport.MosMax)).ToArray(), mos);
                learner = kernelWeight switch { <= 0 => blendTrees, >= 1 => MosLearner.Kernel, _ => MosLearner.Blend };
                selection = $"{blendTrees} (the tree learner with the lower RMSE on this seed's validation carve-out of {validation.Length} training rows) " +
                            $"x {1 - kernelWeight:F4} + Kernel x {kernelWeight:F4}: the kernel's weight is the least-squares fit on that carve-out, " +
                            $"clipped to [0, 1] (at 0 or 1 one family alone is shipped); its RMSE there is in-sample{excluded}";
            }
        }
        // The kernel head keeps the hyper-parameters its inner validation chose on the fit rows.
        var model = phases.Final(() => learner == MosLearner.Blend
            ? new BlendHead((TreesHead)MosTrainer.FitHead(matrix, train, blendTrees, options, seed, ct),
                (KernelRidgeHead)MosTrainer.FitHead(matrix, train, MosLearner.Kernel, options, seed, ct, kernelChoice),
                (float)(1 - kernelWeight), (float)kernelWeight)
            : MosTrainer.FitHead(matrix, train, learner, options, seed, ct, kernelChoice));
        return (model, learner, validationRmse, validationRmse.Count > 0 ? validation.Length : 0, selection);
    }

    /// <summary>The weight a in [0, 1] minimising the squared error of (1 - a)·trees + a·kernel.</summary>
    private static double BlendWeight(double[] trees, double[] kernel, double[] mos)
    {
        double numerator = 0, denominator = 0;
        for (var i = 0; i < mos.Length; i++)
        {
            var gap = kernel[i] - trees[i];
            numerator += gap * (mos[i] - trees[i]);
            denominator += gap * gap;
        }
        return denominator > 0 ? Math.Clamp(numerator / denominator, 0, 1) : 0;
    }

    /// <summary>
    /// The concrete learners a choice stands for, and why one is left out when it is: the kernel family above its row
    /// limit, FastTree above <see cref="MosTrainer.FastTreeMaxValues"/> training values.
    /// </summary>
    private static (MosLearner[] Candidates, string Excluded) Candidates(MosLearner learner, int trainRows, int columns, KernelSettings kernel)
    {
        var (candidates, excluded) = learner switch
        {
            MosLearner.Trees => ([MosLearner.LightGbm, MosLearner.FastTree], ""),
            MosLearner.Auto when trainRows > kernel.AutoMaxRows => ([MosLearner.LightGbm, MosLearner.FastTree],
                $"; the kernel learner is not a candidate above {kernel.AutoMaxRows:#,0} training rows (here {trainRows:#,0}): force it with --learner kernel"),
            MosLearner.Auto => ([MosLearner.LightGbm, MosLearner.FastTree, MosLearner.Kernel], ""),
            _ => (new[] { learner }, ""),
        };
        if (candidates.Length > 1 && !MosTrainer.Candidates(trainRows, columns).Contains(MosLearner.FastTree))
            return (candidates.Where(c => c != MosLearner.FastTree).ToArray(), excluded + $"; {MosTrainer.FastTreeLimit} (here {trainRows:#,0} x {columns:#,0})");
        return (candidates, excluded);
    }

    private static async Task<(SeedReport Report, float[] Predicted, IMosHead Head)> TrainSeedAsync(CorpusLayout layout, CorpusMatrix matrix,
        RowSplit split, double[] heldOutMos, float[] heldOutValues, int seed, TrainOptions options, PhaseClock phases, CancellationToken ct)
    {
        var (model, learner, validationRmse, validationRows, selection) = FitSeed(matrix, split.Train, seed, options, ct, phases);
        var (onnx, predicted, inMemory) = phases.Export(() =>
        {
            var bytes = model.ExportOnnx(matrix, seed);
            using var session = new MosOnnxModel(bytes, options.ThreadCount);
            return (bytes, session.Predict(heldOutValues, split.HeldOut.Length), model.Predict(matrix, split.HeldOut));
        });
        var parity = 0.0;
        for (var i = 0; i < predicted.Length; i++)
            parity = Math.Max(parity, Math.Abs(predicted[i] - Math.Clamp(inMemory[i], OnnxExport.MosMin, OnnxExport.MosMax)));
        if (parity > ParityTolerance)
            throw new InvalidOperationException($"seed {seed}: the exported ONNX differs from the in-memory model by {parity} on the held-out fold (tolerance {ParityTolerance})");

        var metrics = Measure(predicted.Select(p => (double)p).ToArray(), heldOutMos, $"Train: seed {seed}");
        var sha = Convert.ToHexStringLower(SHA256.HashData(onnx));
        var card = new ModelCard(
            Id: $"{ModelCard.ModelName}-seed{seed}",
            Kind: "mos",
            FeatureSet: matrix.FeatureSet,
            FeatureOrder: matrix.FeatureOrder,
            EncoderVocab: EncoderVocab.Current.Slots,
            EncoderVocabVersion: EncoderVocab.Current.Version,
            MosRange: [OnnxExport.MosMin, OnnxExport.MosMax],
            OnnxFile: ModelCard.OnnxFileName(seed),
            Opset: OnnxExport.Opset(onnx),
            OnnxSha256: sha,
            Io: new ModelIo(OnnxExport.InputName, $"float32 [N,{matrix.Columns}]", OnnxExport.OutputName, "float32 [N], clamped to [1,5]"),
            Recipe: new TrainingRecipe(ModelCard.ModelName, learner.ToString(), MosTrainer.Describe(model, options.Hyper.AtScale(split.Train.Length, matrix.Columns), seed), seed,
                MosTrainer.SeedChanges, split.Train.Length, options.ThreadCount, selection, validationRmse, validationRows),
            Data: new TrainingData(matrix.JsonlSha256, matrix.Rows, split.Train.Length, split.HeldOut.Length, options.Holdout,
                "held out when the first 53 bits of SHA-256(src) as a fraction of 2^53 fall below holdout"),
            Metrics: metrics,
            Reproducibility: "identical ONNX bytes for the same corpus, seed, hyper-parameters and thread count (the exporter embeds no timestamp)");

        var onnxPath = Path.Combine(layout.Models, ModelCard.OnnxFileName(seed));
        await AtomicFile.WriteAllBytesAsync(onnxPath, onnx, ct);
        await AtomicFile.WriteAllTextAsync(Path.Combine(layout.Models, ModelCard.FileName(seed)), card.ToJson(), ct);
        await AtomicFile.WriteAllTextAsync(Path.Combine(layout.Models, $"heldout_seed{seed}.csv"), PredictionsCsv(matrix, split.HeldOut, predicted), ct);
        return (new SeedReport(seed, learner.ToString(), metrics, parity, onnxPath, sha), predicted, model);
    }

    /// <summary>A head already fitted by the recipe on every row except <paramref name="TestRows"/>.</summary>
    private sealed record FittedFold(int[] TestRows, IMosHead Model);

    /// <summary>
    /// k-fold CV of the first seed's recipe (learner, the kernel's chosen hyper-parameters, a blend's weights), refitted
    /// per fold. With the default --holdout 0.1 and 10 folds, fold 0 is the held-out fold itself and the first seed's
    /// head is exactly that fold's fit (same rows, recipe, seed and threads): it is re-used, not refitted.
    /// </summary>
    private static CrossValidation CrossValidate(CorpusMatrix matrix, TrainOptions options, int seed, IMosHead recipe, FittedFold reusable,
        PhaseClock phases, IProgressReporter progress, CancellationToken ct)
    {
        var folds = options.CvFolds;
        var fold = matrix.Ids.Select(id => HoldoutSplit.Fold(id, folds)).ToArray();
        var outOfFold = new double[matrix.Rows];
        var foldPlcc = new List<double>();
        using var task = progress.Start("Cross-validate", folds, "folds");
        for (var k = 0; k < folds; k++)
        {
            var test = Enumerable.Range(0, matrix.Rows).Where(r => fold[r] == k).ToArray();
            var train = Enumerable.Range(0, matrix.Rows).Where(r => fold[r] != k).ToArray();
            if (test.Length < 2 || train.Length < MinTrainRows)
                throw new KonvidException($"Train: cross-validation fold {k} of {folds} has {test.Length} rows", "use fewer --cv-folds or add clips");
            var model = test.AsSpan().SequenceEqual(reusable.TestRows)
                ? reusable.Model
                : phases.Cv(() => MosTrainer.Refit(recipe, matrix, train, options, seed, ct));
            var predicted = model.Predict(matrix, test);
            for (var i = 0; i < test.Length; i++) outOfFold[test[i]] = Math.Clamp(predicted[i], OnnxExport.MosMin, OnnxExport.MosMax);
            foldPlcc.Add(Explained(() => Correlation.Plcc(test.Select(r => outOfFold[r]).ToArray(), test.Select(r => (double)matrix.Mos[r]).ToArray()),
                test.Length, $"Train: cross-validation fold {k}"));
            task.Advance();
        }
        var mean = foldPlcc.Average();
        var std = Math.Sqrt(foldPlcc.Sum(p => (p - mean) * (p - mean)) / (foldPlcc.Count - 1));
        var pooled = Explained(() => Correlation.Plcc(outOfFold, matrix.Mos.Select(m => (double)m).ToArray()), matrix.Rows, "Train: cross-validation");
        return new CrossValidation(folds, seed, recipe.Learner.ToString(), foldPlcc, mean, std, pooled, matrix.JsonlSha256);
    }

    /// <summary>Metrics, or one line saying why there are none (constant predictions: the head learnt nothing).</summary>
    internal static ModelMetrics Measure(double[] predicted, double[] mos, string what) =>
        Explained(() => ModelMetrics.Compute(predicted, mos), predicted.Length, what);

    private static T Explained<T>(Func<T> metric, int rows, string what)
    {
        try
        {
            return metric();
        }
        catch (ArgumentException e)
        {
            throw new KonvidException($"{what}: no metrics on {rows} rows ({e.Message})",
                "the head predicts a constant or the fold's MOS is constant: check the corpus's features and labels, or add clips");
        }
    }

    internal static float[] Gather(CorpusMatrix matrix, int[] rows)
    {
        var values = new float[rows.Length * matrix.Columns];
        for (var i = 0; i < rows.Length; i++) matrix.Row(rows[i]).CopyTo(values.AsSpan(i * matrix.Columns));
        return values;
    }

    internal static string PredictionsCsv(CorpusMatrix matrix, int[] rows, float[] predicted)
    {
        var csv = new CsvWriter("id", "mos", "predicted");
        for (var i = 0; i < rows.Length; i++)
            csv.Row(matrix.Ids[rows[i]], matrix.Mos[rows[i]].ToString("R", CultureInfo.InvariantCulture),
                predicted[i].ToString("R", CultureInfo.InvariantCulture));
        return csv.ToString();
    }

    private static void RemoveStaleSeeds(string modelsDir, IReadOnlyList<int> seeds)
    {
        foreach (var file in Directory.EnumerateFiles(modelsDir, "*seed*"))
        {
            var name = Path.GetFileName(file);
            var digits = new string(name[(name.IndexOf("seed", StringComparison.Ordinal) + 4)..].TakeWhile(char.IsAsciiDigit).ToArray());
            if (int.TryParse(digits, CultureInfo.InvariantCulture, out var seed) && !seeds.Contains(seed) &&
                (name.StartsWith("seed", StringComparison.Ordinal) || name.StartsWith("heldout_seed", StringComparison.Ordinal)))
                File.Delete(file);
        }
    }
}
