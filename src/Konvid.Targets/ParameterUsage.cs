using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Konvid.Targets;

/// <summary>
/// Which parameters a target's declarations read, found in their compiled code: the IL of its Keyed, Tracks and
/// Executes delegates is scanned for loads of [Parameter] fields and calls of [Parameter] property getters, following
/// calls into the build class's own members (a property such as <c>Layout</c> that reads <c>WorkDir</c>) and into
/// the compiler's closures and async state machines. A parameter a target uses is therefore known without the
/// target listing it, and a new one cannot be forgotten.
/// </summary>
internal sealed class ParameterUsage
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly Type _buildType;
    // Keyed by (module, token): the same member reflected through a derived class is not Equal to the one IL resolves.
    private readonly Dictionary<(Module, int), string> _parameters = [];
    private readonly Dictionary<MethodBase, IReadOnlySet<string>> _cache = [];

    public ParameterUsage(Type buildType)
    {
        _buildType = buildType;
        foreach (var member in ParameterSet.Members(buildType))
        {
            if (member is FieldInfo field) _parameters[Key(field)] = member.Name;
            else if (((PropertyInfo)member).GetMethod is { } getter) _parameters[Key(getter)] = member.Name;
        }
    }

    /// <summary>The member names of the parameters that <paramref name="delegates"/> read, directly or indirectly.</summary>
    public IReadOnlySet<string> ReadBy(IEnumerable<Delegate> delegates) =>
        delegates.SelectMany(d => ReadBy(d.Method)).ToHashSet();

    private IReadOnlySet<string> ReadBy(MethodBase root)
    {
        if (_cache.TryGetValue(root, out var known)) return known;
        var found = new HashSet<string>();
        var seen = new HashSet<MethodBase>();
        var queue = new Queue<MethodBase>([root]);
        while (queue.TryDequeue(out var method))
        {
            if (!seen.Add(method)) continue;
            foreach (var member in ReferencedMembers(method))
            {
                if (member is FieldInfo or MethodInfo && _parameters.TryGetValue(Key(member), out var name)) found.Add(name);
                foreach (var next in Followed(member)) queue.Enqueue(next);
            }
        }
        return _cache[root] = found;
    }

    private static (Module, int) Key(MemberInfo member) => (member.Module, member.MetadataToken);

    /// <summary>
    /// The code a reference leads into: the build class's own methods (and their overrides), and every method of a compiler-generated type
    /// nested in it (a closure's lambdas, an async lambda's MoveNext) once any of its members is touched.
    /// </summary>
    private IEnumerable<MethodBase> Followed(MemberInfo member)
    {
        if (member is MethodInfo { IsVirtual: true } virtualMethod)
        {
            var slot = Key(virtualMethod.GetBaseDefinition());
            for (var type = _buildType; type is not null && IsBuildClass(type); type = type.BaseType)
                foreach (var m in type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    if (Key(m.GetBaseDefinition()) == slot) yield return m;
        }
        var types = new List<Type?> { member.DeclaringType };
        if (member is MethodInfo { IsGenericMethod: true } generic) types.AddRange(generic.GetGenericArguments());
        foreach (var type in types)
        {
            if (type is null) continue;
            if (IsNestedInBuild(type))
            {
                foreach (var m in type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    yield return m;
            }
            else if (member is MethodBase method && type == member.DeclaringType && IsBuildClass(type))
                yield return method;
        }
    }

    /// <summary>The build class and its bases up to (not including) the engine's own <see cref="BuildBase"/>.</summary>
    private bool IsBuildClass(Type type) =>
        type.Assembly != typeof(BuildBase).Assembly && type.IsAssignableFrom(_buildType);

    private bool IsNestedInBuild(Type type)
    {
        for (var outer = type.DeclaringType; outer is not null; outer = outer.DeclaringType)
            if (IsBuildClass(outer)) return type.IsDefined(typeof(CompilerGeneratedAttribute), false) || type.Name.StartsWith('<');
        return false;
    }

    private static IEnumerable<MemberInfo> ReferencedMembers(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            if (op.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok)
            {
                var member = Resolve(method.Module, BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(i)), typeArgs, methodArgs);
                if (member is not null) yield return member;
            }
            i += OperandSize(op.OperandType, il, i);
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try { return module.ResolveMember(token, typeArgs, methodArgs); }
        catch (Exception e) when (e is ArgumentException or MissingMemberException or TypeLoadException or BadImageFormatException) { return null; }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(at)),
        _ => 4,
    };
}
