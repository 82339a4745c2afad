using Konvid.Core.Corpora;
using Konvid.Core.Train;

namespace Konvid.Core.Gate;

/// <summary>MOS_PROMOTE.json / MOS_HOLD.json (snake_case keys); <see cref="Gatekeeper.SchemaVersion"/> versions the shape.</summary>
internal sealed record VerdictDocument(
    int SchemaVersion,
    string Verdict,
    string GeneratedAtUtc,
    string Model,
    VerdictCorpus Corpus,
    IReadOnlyList<int> Seeds,
    IReadOnlyList<SeedMetrics> PerSeed,
    ModelMetrics Mean,
    CrossValidation? CrossValidation,
    Baselines? Baselines,
    VerdictGate Gate,
    string Recommendation,
    string? Registry);

internal sealed record VerdictCorpus(string Name, string Version, int Rows, string JsonlSha256);

internal sealed record SeedMetrics(int Seed, string Trainer, string OnnxSha256, ModelMetrics Metrics);

internal sealed record VerdictGate(GateThresholds Thresholds, IReadOnlyList<GateCheck> Checks);
