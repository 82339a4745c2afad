using System.Text.Json;
using System.Text.Json.Nodes;

namespace Konvid.Targets;

/// <summary>
/// .nuke/build.schema.json: a JSON schema of parameters.json, regenerated from the declared parameters and targets
/// on every run (as NUKE does) so editors complete and check parameters.json and it never drifts from the code.
/// </summary>
internal static class ParametersSchema
{
    public static void Update(string nukeDir, IReadOnlyList<ParameterInfo> parameters, IReadOnlyList<TargetDefinition> targets)
    {
        if (!Directory.Exists(nukeDir)) return;
        var properties = new JsonObject { ["$schema"] = new JsonObject { ["type"] = "string" } };
        foreach (var p in parameters)
            properties[p.Member] = Describe(p);
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-04/schema#",
            ["title"] = "Build Schema",
            ["description"] = "Default parameter values for ./build.sh; targets: " + string.Join(", ", targets.Select(t => t.Name)),
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
        var text = schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var path = Path.Combine(nukeDir, "build.schema.json");
        if (File.Exists(path) && File.ReadAllText(path) == text) return;
        try { File.WriteAllText(path, text); }
        catch (UnauthorizedAccessException) { }
        catch (IOException) { }
    }

    private static JsonObject Describe(ParameterInfo p)
    {
        var type = Nullable.GetUnderlyingType(p.Type) ?? p.Type;
        var node = new JsonObject { ["description"] = p.Description };
        if (type == typeof(bool)) node["type"] = "boolean";
        else if (type == typeof(int) || type == typeof(long)) node["type"] = "integer";
        else if (type == typeof(double)) node["type"] = "number";
        else if (type.IsArray) node["type"] = "array";
        else if (type.IsEnum) node["enum"] = new JsonArray(Enum.GetNames(type).Select(n => (JsonNode)ParameterSet.Kebab(n)).ToArray());
        else node["type"] = "string";
        return node;
    }
}
