using Konvid.Core.Features;
using Konvid.Core.Probe;
using Konvid.Core.Verify;
using Konvid.Core.Workspace;

namespace Konvid.Core.Jsonl;

/// <summary>A clip that no stage has accounted for: neither done (probed and featurised) nor recorded as a loss.</summary>
internal sealed record MissingClip(string ClipId, string Why);

/// <summary>
/// The join decided before a byte is written: for each clip in manifest order, the label it becomes a row with
/// (null: no row), the losses found on the way, and the clips missing from the Probe/Features union.
/// </summary>
internal sealed record JoinPlan(Label?[] RowLabels, IReadOnlyList<AttritionEntry> Losses, IReadOnlyList<MissingClip> Missing)
{
    public int RowCandidates => RowLabels.Count(l => l is not null);
}

/// <summary>
/// Joins clips (manifest), labels, probe results and earlier stages' losses so that every label and every clip
/// ends up exactly once: as a row, or as one attrition entry (here or in an earlier stage). Costs dictionary
/// lookups per clip; feature files are read later, while writing.
/// </summary>
internal static class CorpusJoin
{
    /// <param name="entries">The feature cache's entries of the run's feature set (<see cref="FeatureCache.List"/>).</param>
    public static JoinPlan Plan(IReadOnlyList<ManifestEntry> clips, LabelIndex labels, IReadOnlyDictionary<string, ProbeResult> probes,
        IReadOnlyList<AttritionEntry> earlierLosses, IReadOnlyDictionary<string, EntryStamp> entries, bool deep)
    {
        var earlierIds = new HashSet<string>(StringComparer.Ordinal);
        var earlierKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in earlierLosses)
        {
            earlierIds.Add(e.Id);
            earlierKeys.Add(ClipKey.Of(e.Id));
        }
        var losses = new List<AttritionEntry>(labels.Rejections);
        var missing = new List<MissingClip>();
        var rowLabels = new Label?[clips.Count];
        var keyTakenBy = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstBySha = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = string.Join(" + ", labels.Files.Select(f => f.File));
        void Lose(string id, string why) => losses.Add(new AttritionEntry(id, Stage.Jsonl, why));

        for (var i = 0; i < clips.Count; i++)
        {
            var clip = clips[i];
            var id = clip.ClipId;
            var key = ClipKey.Of(id);
            // An earlier stage's entry already accounts for this clip and its label.
            if (earlierIds.Contains(id) || earlierIds.Contains(clip.RelativePath))
            {
                keyTakenBy.TryAdd(labels.TryFind(key, out var taken) ? taken.Key : key, id);
                continue;
            }
            if (!labels.TryFind(key, out var label))
            {
                // A clip whose label row was rejected is accounted for by that rejection.
                if (!labels.RejectedKeys.Contains(key)) Lose(id, $"no label for this clip (key {key}) in {files}");
                continue;
            }
            if (!keyTakenBy.TryAdd(label.Key, id))
            {
                Lose(id, $"label {label.Id} already taken by {keyTakenBy[label.Key]} (the same clip under another name)");
                continue;
            }
            if (firstBySha.TryGetValue(clip.Sha256, out var first))
            {
                Lose(id, $"duplicate content of {first} (same src_sha256; first kept)");
                continue;
            }
            if (!probes.TryGetValue(clip.Sha256, out var probe))
            {
                missing.Add(new MissingClip(id, "not probed: no probe result (a Probe shard missing or failed?)"));
                continue;
            }
            if (!probe.Ok)
            {
                Lose(id, $"probe failed: {probe.Error}");
                continue;
            }
            if (!entries.ContainsKey(clip.Sha256))
            {
                missing.Add(new MissingClip(id, $"not featurised: no {ClipFeatures.CurrentSet}{(deep ? " deep" : "")} feature cache entry (a Features shard missing or failed?)"));
                continue;
            }
            firstBySha.Add(clip.Sha256, id);
            rowLabels[i] = label;
        }

        foreach (var (key, label) in labels.ByKey)
            if (!keyTakenBy.ContainsKey(key) && !earlierKeys.Contains(key) && (label.AltKey is null || !earlierKeys.Contains(label.AltKey)))
                Lose(label.Id, $"{label.Origin}: no clip for this label");
        return new JoinPlan(rowLabels, losses, missing);
    }
}
