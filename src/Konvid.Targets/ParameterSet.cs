using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Konvid.Targets;

/// <summary>Binds [Parameter] members: CLI, then KONVID_* environment, then .nuke/parameters.json, then the initial value.</summary>
internal static class ParameterSet
{
    /// <summary>The [Parameter] fields and properties of a build class, in declaration order.</summary>
    public static IEnumerable<MemberInfo> Members(Type buildType) =>
        buildType.GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m.GetCustomAttribute<ParameterAttribute>() is not null && m is FieldInfo or PropertyInfo)
            .OrderBy(m => m.MetadataToken);

    public static IReadOnlyList<(ParameterInfo Info, MemberInfo Member)> Discover(object build) =>
        Members(build.GetType())
            .Select(m =>
            {
                var type = m is FieldInfo f ? f.FieldType : ((PropertyInfo)m).PropertyType;
                var kebab = Kebab(m.Name);
                var info = new ParameterInfo(m.Name, kebab, "KONVID_" + kebab.Replace('-', '_').ToUpperInvariant(),
                    m.GetCustomAttribute<ParameterAttribute>()!.Description, type, Format(Get(build, m)));
                return (info, m);
            })
            .ToList();

    public static IReadOnlyList<ParameterInfo> Bind(object build, IReadOnlyDictionary<string, IReadOnlyList<string>> cli,
        Func<string, string?> environment, string? parametersJsonPath)
    {
        var members = Discover(build);
        var byCli = members.ToDictionary(m => m.Info.CliName, StringComparer.OrdinalIgnoreCase);
        foreach (var name in cli.Keys)
            if (!byCli.ContainsKey(name))
                throw new BuildUsageException($"unknown parameter --{name}; `./build.sh --help` lists the parameters");

        var file = ReadParametersFile(parametersJsonPath, members.Select(m => m.Info).ToList());
        foreach (var (info, member) in members)
        {
            if (cli.TryGetValue(info.CliName, out var values))
                Set(build, member, Convert(info, values, $"--{info.CliName}"));
            else if (environment(info.EnvName) is { } env)
                Set(build, member, Convert(info, [env], info.EnvName));
            else if (file.TryGetValue(info.Member, out var fromFile))
                Set(build, member, Convert(info, fromFile, $"{parametersJsonPath}: {info.Member}"));
        }
        return members.Select(m => m.Info).ToList();
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadParametersFile(string? path, IReadOnlyList<ParameterInfo> known)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>();
        if (path is null || !File.Exists(path)) return result;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new BuildUsageException($"{path}: not valid JSON ({e.Message})"); }
        using (doc)
        {
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name.StartsWith('$')) continue;
                var info = known.FirstOrDefault(k => Squash(k.Member) == Squash(property.Name))
                    ?? throw new BuildUsageException($"{path}: unknown parameter '{property.Name}'");
                result[info.Member] = property.Value.ValueKind switch
                {
                    JsonValueKind.Array => property.Value.EnumerateArray().Select(Text).ToList(),
                    JsonValueKind.Null => [],
                    _ => [Text(property.Value)],
                };
            }
        }
        return result;

        static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
        static string Squash(string s) => s.Replace("-", "").Replace("_", "").ToLowerInvariant();
    }

    private static object? Convert(ParameterInfo info, IReadOnlyList<string> values, string origin)
    {
        var type = info.Type;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            if (underlying == typeof(bool))
                return values.Count == 0 || ParseBool(values[0]);
            var element = ElementType(type);
            if (element is not null)
            {
                var items = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(v => Scalar(element, v)).ToList();
                var array = Array.CreateInstance(element, items.Count);
                for (var i = 0; i < items.Count; i++) array.SetValue(items[i], i);
                return array;
            }
            if (values.Count != 1) throw new FormatException($"expects one value, got {values.Count}");
            return Scalar(underlying, values[0]);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or TargetInvocationException)
        {
            var why = e is TargetInvocationException { InnerException: { } inner } ? inner.Message.Split('\n')[0] : e.Message;
            throw new BuildUsageException($"{origin}: '{string.Join(' ', values)}' is not a valid {Describe(type)} ({why})");
        }
    }

    private static object Scalar(Type type, string text)
    {
        if (type == typeof(string)) return text;
        if (type == typeof(int)) return int.Parse(text, CultureInfo.InvariantCulture);
        if (type == typeof(long)) return long.Parse(text, CultureInfo.InvariantCulture);
        if (type == typeof(double)) return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (type == typeof(bool)) return ParseBool(text);
        if (type.IsEnum)
        {
            var match = Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, text.Replace("-", ""), StringComparison.OrdinalIgnoreCase));
            return match is not null ? Enum.Parse(type, match)
                : throw new FormatException($"expected one of {string.Join(", ", Enum.GetNames(type).Select(Kebab))}");
        }
        var parse = type.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, [typeof(string)])
            ?? throw new InvalidOperationException($"parameter type {type.Name} has no static Parse(string)");
        return parse.Invoke(null, [text])!;
    }

    private static bool ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new FormatException("expected true or false"),
    };

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0]
        : null;

    public static string Describe(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (ElementType(type) is { } e) return $"list of {Describe(e)}";
        if (underlying.IsEnum) return string.Join("|", Enum.GetNames(underlying).Select(Kebab));
        return underlying == typeof(int) || underlying == typeof(long) ? "integer"
            : underlying == typeof(double) ? "number"
            : underlying == typeof(bool) ? "true|false"
            : underlying == typeof(string) ? "text" : underlying.Name.ToLowerInvariant();
    }

    public static object? Get(object build, MemberInfo m) => m is FieldInfo f ? f.GetValue(build) : ((PropertyInfo)m).GetValue(build);

    private static void Set(object build, MemberInfo m, object? value)
    {
        if (m is FieldInfo f) f.SetValue(build, value);
        else ((PropertyInfo)m).SetValue(build, value);
    }

    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        Enum e => Kebab(e.ToString()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(",", items.Cast<object?>().Select(Format)),
        _ => value.ToString(),
    };

    public static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
