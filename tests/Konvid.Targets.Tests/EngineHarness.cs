using Spectre.Console;

namespace Konvid.Targets.Tests;

/// <summary>Runs a build class in-process against a captured console and a temp folder for fingerprints and parameters.</summary>
public sealed class EngineHarness : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "konvid-engine-" + Guid.NewGuid().ToString("N")[..10]);
    public Dictionary<string, string> Environment { get; } = [];
    public string Output => _writer.ToString();
    public string Errors => _errors.ToString();
    private StringWriter _writer = new(), _errors = new();

    public EngineHarness() => Directory.CreateDirectory(Root);

    public async Task<int> RunAsync(TestBuildBase build, params string[] args) => await RunAsync(build, CancellationToken.None, args);

    public async Task<int> RunAsync(TestBuildBase build, CancellationToken ct, params string[] args)
    {
        (_writer, _errors) = (new StringWriter(), new StringWriter());
        build.Root = Root;
        return await BuildEngine.ExecuteAsync(build, args, Console(_writer), name => Environment.GetValueOrDefault(name), ct, Console(_errors));
    }

    private static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        return console;
    }

    public void WriteParametersJson(string json)
    {
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        File.WriteAllText(Path.Combine(Root, ".nuke", "parameters.json"), json);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>A build class whose fingerprints live under the harness's folder and whose targets log their runs.</summary>
public abstract class TestBuildBase : BuildBase
{
    public string Root { get; set; } = "";
    public List<string> Ran { get; } = [];

    protected internal override string RootDirectory => Root;

    protected internal override string? FingerprintFile(string target) => Path.Combine(Root, ".targets", target + ".json");

    protected internal override bool IsExpectedFailure(Exception exception) => exception is InvalidDataException;
}
