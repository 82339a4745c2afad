using System.Text.Json;

namespace Konvid.Targets;

/// <summary>
/// <c>.targets/&lt;Target&gt;.json</c>: the fingerprint of a target's last completed run, hash and components, as
/// readable JSON. Written when the target finishes (temp file + rename), deleted before it runs again.
/// </summary>
internal static class FingerprintRecord
{
    /// <summary>
    /// What was recorded: the components (unless an older engine wrote the record) and their hash, recomputed from
    /// them, so that the components alone decide (the stored hash is for people and older readers).
    /// </summary>
    public sealed record Recorded(string Hash, Fingerprint? Components);

    public static Recorded? Read(string file)
    {
        try
        {
            if (!File.Exists(file)) return null;
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            var hash = root.GetProperty("fingerprint").GetString() ?? "";
            if (!root.TryGetProperty("versions", out var versions)) return new Recorded(hash, null);
            var components = new Fingerprint(
                root.GetProperty("target").GetString() ?? "",
                Pairs(versions).Select(p => (p.Name, p.Value ?? "")).ToList(),
                root.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ToList(),
                Pairs(root.GetProperty("parameters")),
                Pairs(root.GetProperty("files")).Select(p => (p.Name, p.Value ?? "")).ToList(),
                Pairs(root.GetProperty("dependencies")).Select(p => (p.Name, p.Value ?? "")).ToList());
            return new Recorded(components.Hash, components);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }

        static List<(string Name, string? Value)> Pairs(JsonElement o) => o.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToList();
    }

    public static void Write(string file, Fingerprint print)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", print.Target);
            w.WriteString("fingerprint", print.Hash);
            w.WriteString("completed_utc", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"));
            Object(w, "versions", print.Versions.Select(v => (v.Name, (string?)v.Value)));
            Object(w, "parameters", print.Parameters);
            w.WriteStartArray("keys");
            foreach (var key in print.Keys) w.WriteStringValue(key);
            w.WriteEndArray();
            Object(w, "files", print.Files.Select(f => (f.Path, (string?)f.State)));
            Object(w, "dependencies", print.Dependencies.Select(d => (d.Name, (string?)d.Hash)));
            w.WriteEndObject();
        }
        var temp = file + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, [.. buffer.ToArray(), (byte)'\n']);
        File.Move(temp, file, overwrite: true);

        static void Object(Utf8JsonWriter w, string name, IEnumerable<(string Name, string? Value)> pairs)
        {
            w.WriteStartObject(name);
            foreach (var (key, value) in pairs) w.WriteString(key, value);
            w.WriteEndObject();
        }
    }
}
