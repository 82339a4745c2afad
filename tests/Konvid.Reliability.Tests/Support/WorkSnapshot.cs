using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Konvid.Core.Workspace;
using Parquet;

namespace Konvid.Reliability.Tests.Support;

/// <summary>
/// Every file of a corpus folder and the sample origin, by relative path, with a digest of its content after removing
/// what legitimately differs between two runs (ingestion time, transfer attempt counts). Leftover temp and .part files
/// are listed apart, and fingerprints and caches of mtimes by name only.
/// </summary>
public sealed record WorkSnapshot(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Fingerprints, IReadOnlyList<string> Leftovers)
{
    private static readonly Regex IngestedAt = new("\"ingested_at_utc\":\"[^\"]*\"", RegexOptions.Compiled);

    public static WorkSnapshot Take(string workDir, string corpus = "sample")
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var fingerprints = new List<string>();
        var leftovers = new List<string>();
        foreach (var top in new[] { corpus, "sample-origin" })
        {
            var root = Path.Combine(workDir, top);
            if (!Directory.Exists(root)) continue;
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var relative = top + "/" + Path.GetRelativePath(root, file).Replace('\\', '/');
                var name = Path.GetFileName(file);
                if (relative == $"{corpus}/.lock") continue;
                // Fingerprints and the size+mtime caches (Verify's state, the feature cache index, the corpus row index) record
                // mtimes, which no two runs share: compared by name only.
                var temp = name.EndsWith(".part", StringComparison.Ordinal) || AtomicFile.IsTemp(file) || name.Contains(".tmp", StringComparison.Ordinal);
                var mtimes = relative == $"{corpus}/.verify-state.json" || relative == $"{corpus}/{name}" && name.StartsWith(".features-known", StringComparison.Ordinal)
                             || relative == $"{corpus}/{name}" && name.StartsWith('.') && name.EndsWith(".rows.tsv", StringComparison.Ordinal);
                if (!temp && (relative.StartsWith($"{corpus}/.targets/", StringComparison.Ordinal) || mtimes))
                {
                    fingerprints.Add(name);
                    continue;
                }
                if (temp)
                {
                    leftovers.Add(relative);
                    continue;
                }
                files[relative] = Digest(file, name);
            }
        }
        fingerprints.Sort(StringComparer.Ordinal);
        leftovers.Sort(StringComparer.Ordinal);
        return new WorkSnapshot(files, fingerprints, leftovers);
    }

    /// <summary>Paths whose presence or content differ, for a readable failure message.</summary>
    public IReadOnlyList<string> Differences(WorkSnapshot other) =>
        Files.Keys.Union(other.Files.Keys).Order(StringComparer.Ordinal)
            .Where(k => Files.GetValueOrDefault(k) != other.Files.GetValueOrDefault(k))
            .Select(k => !Files.ContainsKey(k) ? $"+ {k}" : !other.Files.ContainsKey(k) ? $"- {k}" : $"~ {k}")
            .ToList();

    private static string Digest(string file, string name)
    {
        var bytes = File.ReadAllBytes(file);
        // probe.jsonl is a store keyed by src_sha256, appended in completion order: its lines are compared as a set.
        if (name.StartsWith("probe", StringComparison.Ordinal) && name.EndsWith(".jsonl", StringComparison.Ordinal))
            bytes = Encoding.UTF8.GetBytes(string.Join('\n', Encoding.UTF8.GetString(bytes).Split('\n').Order(StringComparer.Ordinal)));
        else if (name.EndsWith(".jsonl", StringComparison.Ordinal))
            bytes = Encoding.UTF8.GetBytes(IngestedAt.Replace(Encoding.UTF8.GetString(bytes), "\"ingested_at_utc\":\"-\""));
        else if (name == ".download-progress.json")
            bytes = Encoding.UTF8.GetBytes(ProgressOutcomes(bytes));
        else if (name.EndsWith(".parquet", StringComparison.Ordinal))
            return ParquetValues(file);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>
    /// Every column's values but the ingestion time, read back by Parquet.Net: the footer records the JSONL's hash and
    /// mtime, which no two runs share, while the rows must be the same.
    /// </summary>
    private static string ParquetValues(string file) => ParquetValuesAsync(file).GetAwaiter().GetResult();

    private static async Task<string> ParquetValuesAsync(string file)
    {
        await using var stream = File.OpenRead(file);
        await using var reader = await ParquetReader.CreateAsync(stream);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var fields = reader.Schema.DataFields.Where(f => f.Name != "ingested_at_utc").ToArray();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            foreach (var field in fields)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(field.Name));
                var values = field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>)
                    ? await StringsAsync(group, field, rows)
                    : field.ClrType == typeof(float) ? await NumbersAsync<float>(group, field, rows)
                    : field.ClrType == typeof(double) ? await NumbersAsync<double>(group, field, rows)
                    : field.ClrType == typeof(long) ? await NumbersAsync<long>(group, field, rows)
                    : field.ClrType == typeof(int) ? await NumbersAsync<int>(group, field, rows)
                    : field.ClrType == typeof(bool) ? await NumbersAsync<bool>(group, field, rows)
                    : throw new InvalidOperationException($"{file}: column {field.Name} of type {field.ClrType} is not compared");
                foreach (var value in values)
                    hash.AppendData(Encoding.UTF8.GetBytes(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null"));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task<object?[]> StringsAsync(ParquetRowGroupReader group, Parquet.Schema.DataField field, int rows)
    {
        var values = new string?[rows];
        await group.ReadAsync(field, values.AsMemory());
        return values;
    }

    private static async Task<object?[]> NumbersAsync<T>(ParquetRowGroupReader group, Parquet.Schema.DataField field, int rows) where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[rows];
            await group.ReadAsync<T>(field, nullable.AsMemory());
            return nullable.Cast<object?>().ToArray();
        }
        var values = new T[rows];
        await group.ReadAsync<T>(field, values.AsMemory());
        return values.Cast<object?>().ToArray();
    }

    /// <summary>The outcome per item (status and permanence), without attempt counts, which a crash may change.</summary>
    private static string ProgressOutcomes(byte[] json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        foreach (var section in new[] { "sources", "clips" })
            if (node[section] is JsonObject items)
                foreach (var (_, item) in items)
                    if (item is JsonObject o) o.Remove("attempts");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
