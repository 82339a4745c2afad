using System.Globalization;
using System.IO.Enumeration;

namespace Konvid.Core.Workspace;

/// <summary>
/// The bytes a corpus folder holds, per top-level folder (downloads, clips, features, ...) and top-level file (the
/// corpus JSONL, probe.jsonl, ...): what a user deciding about --keep-archives or a smaller disk needs to see.
/// </summary>
public sealed record DiskUse(string Corpus, IReadOnlyList<DiskUse.Part> Parts)
{
    public sealed record Part(string Name, long Bytes, long Files);

    private static readonly EnumerationOptions All = new() { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };

    public long Bytes => Parts.Sum(p => p.Bytes);

    /// <summary>
    /// Null when the corpus folder does not exist yet. A folder in <paramref name="listed"/> (full path to files and
    /// bytes, e.g. what the build just listed of clips/ and features/) is taken from there instead of listed again.
    /// </summary>
    public static DiskUse? Measure(CorpusLayout layout, IReadOnlyDictionary<string, (long Files, long Bytes)>? listed = null)
    {
        if (!Directory.Exists(layout.Root)) return null;
        var parts = new List<Part>();
        foreach (var dir in Directory.EnumerateDirectories(layout.Root))
        {
            if (listed is not null && listed.TryGetValue(Path.GetFullPath(dir), out var known))
            {
                parts.Add(new Part(Path.GetFileName(dir) + "/", known.Bytes, known.Files));
                continue;
            }
            long bytes = 0, files = 0;
            var sizes = new FileSystemEnumerable<long>(dir, (ref FileSystemEntry e) => e.Length, All)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory,
            };
            foreach (var size in sizes)
            {
                bytes += size;
                files++;
            }
            parts.Add(new Part(Path.GetFileName(dir) + "/", bytes, files));
        }
        foreach (var file in new DirectoryInfo(layout.Root).EnumerateFiles())
            parts.Add(new Part(file.Name, file.Length, 1));
        return new DiskUse(layout.Corpus, parts.OrderByDescending(p => p.Bytes).ThenBy(p => p.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// The line for a run's summary: measured after a run in which a target acted and kept in .targets/disk-use.txt,
    /// so a no-op run (nothing changed) repeats it instead of listing 150,000 clips and their feature files again.
    /// Null when the corpus folder does not exist.
    /// </summary>
    public static string? Report(CorpusLayout layout, bool acted, IReadOnlyDictionary<string, (long Files, long Bytes)>? listed = null)
    {
        var kept = Path.Combine(layout.Targets, "disk-use.txt");
        if (!acted && File.Exists(kept)) return File.ReadAllText(kept).TrimEnd('\n');
        if (Measure(layout, listed) is not { } use) return null;
        var line = use.Line();
        Directory.CreateDirectory(layout.Targets);
        AtomicFile.WriteAllTextAsync(kept, line + "\n").GetAwaiter().GetResult();
        return line;
    }

    /// <summary>One line: the total, then every part of at least 1 MB largest first, the rest summed as "other".</summary>
    public string Line()
    {
        const long shown = 1 << 20;
        var big = Parts.Where(p => p.Bytes >= shown).Select(p => $"{p.Name} {Format(p.Bytes)}" + (p.Files > 1 ? $" ({p.Files.ToString("#,0", CultureInfo.InvariantCulture)} files)" : ""));
        var rest = Parts.Where(p => p.Bytes < shown).ToList();
        var other = rest.Count == 0 ? [] : new[] { $"other {Format(rest.Sum(p => p.Bytes))}" };
        return $"Disk: {Corpus} holds {Format(Bytes)}: {string.Join(", ", big.Concat(other))}";
    }

    /// <summary>Bytes in decimal units as df -H and file managers show them.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
