namespace Konvid.Targets;

/// <summary>The command line split into invoked targets, engine switches and raw parameter values.</summary>
internal sealed record CommandLine(
    IReadOnlyList<string> Targets,
    bool Help,
    bool Plan,
    bool Force,
    IReadOnlyList<string>? Skip,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters)
{
    /// <summary>
    /// Positional words before the first option are targets; each <c>--name</c> takes the words after it up to the
    /// next option. <c>--skip</c> without names skips every target that was not invoked, as in NUKE.
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var targets = new List<string>();
        var options = new List<(string Name, List<string> Values)>();
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var eq = arg.IndexOf('=');
                options.Add(eq > 0 ? (arg[2..eq], [arg[(eq + 1)..]]) : (arg[2..], []));
            }
            else if (arg is "-h" or "-?")
                options.Add(("help", []));
            else if (options.Count == 0)
                targets.Add(arg);
            else
                options[^1].Values.Add(arg);
        }

        bool help = false, plan = false, force = false;
        List<string>? skip = null;
        var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in options)
        {
            switch (name.ToLowerInvariant())
            {
                case "help": help = true; break;
                case "plan": plan = true; targets.AddRange(values); break;
                case "force": force = true; targets.AddRange(values); break;
                case "skip": (skip ??= []).AddRange(values); break;
                default:
                    if (parameters.ContainsKey(name)) throw new BuildUsageException($"--{name} is given twice");
                    parameters[name] = values;
                    break;
            }
        }
        return new CommandLine(targets, help, plan, force, skip, parameters);
    }
}
