using Konvid.Core.Corpora;
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

    /// <summary>The files under <paramref name="folder"/>, which the running target tracks, as the engine listed them: what its stage would otherwise list again.</summary>
    FolderFiles Listed(string folder)
    {
        var tracked = TrackedFiles(folder);
        return new FolderFiles(tracked.Path, tracked.ListedAtTicks, tracked.Files.Select(f => new ListedFile(f.Path, f.Length, f.MtimeTicks)).ToList());
    }

    Catalog Catalog => CatalogLoader.Load(Path.Combine(RootDirectory, "corpora"), CorpusName);


    static readonly IProgressReporter Progress = ConsoleProgress.ForCurrentConsole();

    static readonly string[] CorpusFreeTargets = ["Test", "Bench", "Predict"];

    protected override string RootDirectory => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));

    protected override string? FingerprintFile(string target) =>
        Path.Combine(Layout.Targets, Shard.IsAll ? $"{target}.json" : $"{target}.{Shard.Tag}.json");

    protected override bool IsExpectedFailure(Exception exception) => exception is KonvidException;

    protected override IDisposable? BeginRun() =>
        InvokedTargets.All(CorpusFreeTargets.Contains) ? null
            : WorkDirLock.Acquire(Shard.IsAll ? Layout.Lock : $"{Layout.Lock}.{Shard.Tag}");

    protected override IEnumerable<string> SummaryNotes(bool acted, IReadOnlyDictionary<string, FolderSize> listed) =>
        InvokedTargets.All(CorpusFreeTargets.Contains)
        || DiskUse.Report(Layout, acted, listed.ToDictionary(l => l.Key, l => (l.Value.Files, l.Value.Bytes))) is not { } line ? [] : [line];

    [Parameter("Size of the generated sample corpus: demo (240 clips), small (60) or tiny (12, for tests)")]
    string SampleSize = "demo";

    /// <summary>The sample corpus is served from its generated origin unless a mirror is named.</summary>
    async Task<string?> MirrorAsync(CancellationToken ct) =>
        Mirror is null && CorpusName == "sample"
            ? (await SampleCorpus.EnsureAsync(Layout.SampleOrigin, SampleOptions.Named(SampleSize), Progress, ct)).MirrorUrl
            : Mirror;
}
