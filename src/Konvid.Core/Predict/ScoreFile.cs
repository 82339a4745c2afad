using System.Globalization;
using System.Text;
using System.Text.Json;
using Konvid.Core.Workspace;

namespace Konvid.Core.Predict;

/// <summary>
/// Predict's <c>--out</c> file, JSONL or CSV by extension, one row a clip with the columns path, sha256, model, mos,
/// mos_seed&lt;N&gt; for each seed, error. Rows are appended as clips finish, so a killed batch keeps what it scored.
/// Opening an existing file keeps its scored rows (their SHA-256s are <see cref="Scored"/>), drops error rows (those
/// clips are tried again) and a torn last line; a file of another model is refused, never mixed.
/// </summary>
internal sealed class ScoreFile : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _csv;
    private readonly IReadOnlyList<int> _seeds;

    private ScoreFile(string path, StreamWriter writer, bool csv, IReadOnlyList<int> seeds, IReadOnlyList<ClipScore> kept)
    {
        Path = path;
        _writer = writer;
        _csv = csv;
        _seeds = seeds;
        Kept = kept;
        Scored = kept.Where(r => r.Sha256 is not null).Select(r => r.Sha256!).ToHashSet(StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>The rows already scored by this model when the file was opened.</summary>
    public IReadOnlyList<ClipScore> Kept { get; }

    public IReadOnlySet<string> Scored { get; }

    public static IReadOnlyList<string> Columns(IReadOnlyList<int> seeds) =>
        ["path", "sha256", "model", "mos", .. seeds.Select(s => $"mos_seed{s.ToString(CultureInfo.InvariantCulture)}"), "error"];

    public static async Task<ScoreFile> OpenAsync(string path, string model, IReadOnlyList<int> seeds, CancellationToken ct)
    {
        var full = System.IO.Path.GetFullPath(path);
        var csv = System.IO.Path.GetExtension(full).ToLowerInvariant() switch
        {
            ".csv" => true,
            ".jsonl" or ".ndjson" => false,
            _ => throw new KonvidException($"Predict: --out {path}: unknown format", "name a .jsonl or .csv file"),
        };
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var kept = File.Exists(full) ? await ReadAsync(full, csv, model, seeds, ct) : [];
        var text = new StringBuilder();
        if (csv) text.Append(new CsvWriter([.. Columns(seeds)]));
        foreach (var row in kept) text.Append(Format(row, csv, seeds));
        await AtomicFile.WriteAllTextAsync(full, text.ToString(), ct);
        var writer = new StreamWriter(new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        return new ScoreFile(full, writer, csv, seeds, kept);
    }

    public async Task AppendAsync(ClipScore row, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await _writer.WriteAsync(Format(row, _csv, _seeds).AsMemory(), ct);
            await _writer.FlushAsync(ct);
        }
        finally { _gate.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _gate.Dispose();
    }

    private static string Format(ClipScore row, bool csv, IReadOnlyList<int> seeds)
    {
        var bySeed = row.PerSeed.ToDictionary(p => p.Seed, p => p.Mos);
        var perSeed = seeds.Select(s => bySeed.TryGetValue(s, out var v) ? v : (double?)null).ToList();
        if (csv)
        {
            string Number(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
            string[] fields = [row.Path, row.Sha256 ?? "", row.Model, Number(row.Mos), .. perSeed.Select(Number), row.Error ?? ""];
            return new CsvWriter(fields).ToString();
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("path", row.Path);
            json.WriteString("sha256", row.Sha256);
            json.WriteString("model", row.Model);
            WriteNumber(json, "mos", row.Mos);
            for (var i = 0; i < seeds.Count; i++) WriteNumber(json, Columns(seeds)[4 + i], perSeed[i]);
            json.WriteString("error", row.Error);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    /// <summary>The rows with a MOS; error rows and a torn (unterminated, unparsable) last line are left out.</summary>
    private static async Task<IReadOnlyList<ClipScore>> ReadAsync(string path, bool csv, string model, IReadOnlyList<int> seeds, CancellationToken ct)
    {
        var columns = Columns(seeds);
        var rows = new List<Dictionary<string, string?>>();
        if (csv)
        {
            IReadOnlyList<string>? header = null;
            await foreach (var record in CsvRecordReader.ReadAsync(path, ct))
            {
                if (header is null)
                {
                    header = record.Fields;
                    if (!header.SequenceEqual(columns)) throw OtherModel(path, $"its columns are {string.Join(",", header)}");
                    continue;
                }
                if (record.Fields.Count != columns.Count) continue;
                rows.Add(columns.Zip(record.Fields).ToDictionary(p => p.First, p => (string?)(p.Second.Length == 0 ? null : p.Second)));
            }
        }
        else
        {
            var lines = (await File.ReadAllTextAsync(path, ct)).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0) continue;
                try
                {
                    using var doc = JsonDocument.Parse(lines[i]);
                    rows.Add(doc.RootElement.EnumerateObject().ToDictionary(p => p.Name,
                        p => p.Value.ValueKind switch
                        {
                            JsonValueKind.Null => null,
                            JsonValueKind.String => p.Value.GetString(),
                            _ => p.Value.GetRawText(),
                        }));
                }
                catch (JsonException) when (i == lines.Length - 1) { }
                catch (JsonException e)
                {
                    throw new KonvidException($"Predict: --out {path}:{i + 1} is not a JSON row ({e.Message})", "move the file away or name another --out");
                }
            }
        }

        var kept = new List<ClipScore>();
        foreach (var row in rows)
        {
            if (row.GetValueOrDefault("model") is { } other && other != model)
                throw OtherModel(path, $"it holds scores of model {other}, not {model}");
            if (row.GetValueOrDefault("error") is not null || row.GetValueOrDefault("mos") is not { } mos || row.GetValueOrDefault("sha256") is not { } sha) continue;
            try
            {
                var perSeed = seeds.Select(s => (s, double.Parse(row[$"mos_seed{s.ToString(CultureInfo.InvariantCulture)}"]!, CultureInfo.InvariantCulture))).ToList();
                kept.Add(new ClipScore(row["path"]!, sha, model, double.Parse(mos, CultureInfo.InvariantCulture), perSeed, null));
            }
            catch (Exception e) when (e is KeyNotFoundException or FormatException or ArgumentNullException)
            {
                throw OtherModel(path, $"a row of {row.GetValueOrDefault("path")} lacks a seed's MOS ({e.Message})");
            }
        }
        return kept;
    }

    private static KonvidException OtherModel(string path, string why) =>
        new($"Predict: --out {path} was written for another model: {why}", "name a new --out file for this model, or move the old one away");
}
