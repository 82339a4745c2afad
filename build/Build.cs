using Konvid.Core.Corpora;
using Konvid.Core.Sharding;
using Konvid.Core.Workspace;
using Konvid.Targets;

namespace Konvid.Build;

/// <summary>
/// The pipeline as a build: Download -> Verify -> Probe -> Features -> Jsonl -> Train -> Gate (+ Predict, Bench).
/// Each concern's targets live in Build.&lt;Concern&gt;.cs; every target calls one core entry point.
/// </summary>
partial class Build : BuildBase
{
    public static Task<int> Main(string[] args) => BuildEngine.MainAsync<Build>(args);

    [Parameter("Corpus: konvid-1k, konvid-150k or sample (Phase1 implies konvid-1k, Phase2/Phase3 konvid-150k)")]
    string? Corpus;

    [Parameter("Work directory; the corpus lives in <work-dir>/<corpus>/")]
    string WorkDir = ".workingdir2";

    [Parameter("Fetch every catalog source from this base URL + its file name (http(s):// or file://)")]
    string? Mirror;

    [Parameter("Parallel clips")]
    int Jobs = Environment.ProcessorCount;

    [Parameter("Process only shard I of N (0-based), e.g. 2/8")]
    Shard Shard = Shard.All;

    string CorpusName => Corpus
        ?? (InvokedTargets.Any(t => t is "Phase2" or "Phase3") ? "konvid-150k" : "konvid-1k");

    CorpusLayout Layout => new(WorkDir, CorpusName);

    Catalog Catalog => CatalogLoader.Load(Path.Combine(RootDirectory, "corpora"), CorpusName);

    string CatalogFile => Path.Combine(RootDirectory, "corpora", CorpusName + ".yaml");

    /// <summary>Prints a stage's report as one line of its scalar figures (its attrition lists are in attrition.csv).</summary>
    static void Report<T>(T report) where T : notnull =>
        Progress.Info(typeof(T).Name + ": " + string.Join(", ", typeof(T).GetProperties()
            .Where(p => p.PropertyType.IsPrimitive || p.PropertyType == typeof(string) || p.PropertyType == typeof(TimeSpan))
            .Select(p => $"{p.Name} {Format(p.GetValue(report))}")));

    static string Format(object? value) => value switch
    {
        double d => d.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan t => t.TotalSeconds.ToString("0.0s", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "-",
    };

    static readonly IProgressReporter Progress = ConsoleProgress.ForCurrentConsole();

    static readonly string[] CorpusFreeTargets = ["Test", "Bench", "Predict"];

    protected override string RootDirectory => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));

    protected override string? FingerprintFile(string target) =>
        Path.Combine(Layout.Targets, Shard.IsAll ? $"{target}.json" : $"{target}.{Shard.Tag}.json");

    protected override bool IsExpectedFailure(Exception exception) => exception is KonvidException;

    protected override IDisposable? BeginRun() =>
        InvokedTargets.All(CorpusFreeTargets.Contains) ? null
            : WorkDirLock.Acquire(Shard.IsAll ? Layout.Lock : $"{Layout.Lock}.{Shard.Tag}");

    Task<string?> MirrorAsync(CancellationToken ct) => Task.FromResult(Mirror);

    static KonvidException NotYet(string stage) =>
        new("not implemented yet", $"the {stage} stage is being built; see the open issues");
}
