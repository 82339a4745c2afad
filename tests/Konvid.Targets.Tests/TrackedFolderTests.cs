namespace Konvid.Targets.Tests;

/// <summary>A folder's listing is taken once per run and shared by the targets that track it, yet never outlives a target's action.</summary>
public class TrackedFolderTests : IDisposable
{
    private readonly EngineHarness _h = new();

    public void Dispose() => _h.Dispose();

    /// <summary>Writer (keyed by Level) adds a file to the folder it tracks; Reader tracks the same folder and depends on nothing.</summary>
    private sealed class SharedFolder : TestBuildBase
    {
        [Parameter("What Writer writes")] public int Level = 1;

        string Folder => Path.Combine(Root, "clips");

        Target Writer => _ => _.Keyed(() => [Level]).Tracks(() => [Folder]).Executes(async ct =>
        {
            Ran.Add("Writer");
            Directory.CreateDirectory(Folder);
            await File.WriteAllTextAsync(Path.Combine(Folder, $"{Level}.mp4"), "clip", ct);
        });

        Target Reader => _ => _.Keyed(() => ["r"]).Tracks(() => [Folder]).Executes(() => Ran.Add("Reader"));
    }

    [Fact]
    public async Task A_target_sees_the_folder_as_an_earlier_target_of_the_same_run_left_it()
    {
        var first = new SharedFolder();
        Assert.Equal(0, await _h.RunAsync(first, "Writer", "Reader"));
        Assert.Equal(["Writer", "Reader"], first.Ran);

        var again = new SharedFolder();
        Assert.Equal(0, await _h.RunAsync(again, "Writer", "Reader"));
        Assert.Empty(again.Ran);

        // Writer's check lists the folder before it acts; Reader must not be judged on that listing.
        var changed = new SharedFolder { Level = 2 };
        Assert.Equal(0, await _h.RunAsync(changed, "Writer", "Reader"));
        Assert.Equal(["Writer", "Reader"], changed.Ran);

        File.WriteAllText(Path.Combine(_h.Root, "clips", "added.mp4"), "new");
        var added = new SharedFolder { Level = 2 };
        Assert.Equal(0, await _h.RunAsync(added, "Writer", "Reader"));
        Assert.Equal(["Writer", "Reader"], added.Ran);
    }

    /// <summary>
    /// Writer adds 1.mp4 to the folder it tracks unless it is there. Honest declares the folder as produced when its action
    /// wrote there (asked after the action); otherwise only the log is declared.
    /// </summary>
    private sealed class Declaring(bool honest) : TestBuildBase
    {
        private bool _wrote;

        string Folder => Path.Combine(Root, "clips");

        string Log => Path.Combine(Root, "log.txt");

        Target Writer => _ => _.Keyed(() => ["w"]).Tracks(() => [Folder])
            .Produces(() => honest && _wrote ? [Folder, Log] : [Log])
            .Executes(async ct =>
            {
                Ran.Add("Writer");
                var clip = Path.Combine(Folder, "1.mp4");
                _wrote = !File.Exists(clip);
                if (_wrote) await File.WriteAllTextAsync(clip, "clip", ct);
                await File.WriteAllTextAsync(Log, "log", ct);
            });
    }

    [Theory]
    [InlineData(true, new[] { "Writer" }, new string[0])]
    [InlineData(false, new[] { "Writer" }, new[] { "Writer" })]
    public async Task A_target_that_leaves_out_a_folder_it_changed_runs_again_and_is_never_skipped(bool honest, string[] second, string[] third)
    {
        Directory.CreateDirectory(Path.Combine(_h.Root, "clips"));
        File.WriteAllText(Path.Combine(_h.Root, "clips", "0.mp4"), "clip");
        var first = new Declaring(honest);
        Assert.Equal(0, await _h.RunAsync(first, "Writer"));
        Assert.Equal(second, first.Ran);

        // Declared, the folder is listed again after the action and the record holds it as the action left it.
        // Left out, the record holds the folder as it was before the action: the next run finds it changed and runs.
        var next = new Declaring(honest);
        Assert.Equal(0, await _h.RunAsync(next, "Writer"));
        Assert.Equal(third, next.Ran);

        var last = new Declaring(honest);
        Assert.Equal(0, await _h.RunAsync(last, "Writer"));
        Assert.Empty(last.Ran);
    }

    /// <summary>Writer as in <see cref="SharedFolder"/>; Group only groups it, as Phase2 groups the stages.</summary>
    private sealed class Grouped : TestBuildBase
    {
        public IReadOnlyDictionary<string, FolderSize>? Listed { get; private set; }

        string Folder => Path.Combine(Root, "clips");

        Target Writer => _ => _.Keyed(() => ["w"]).Tracks(() => [Folder]).Executes(async ct =>
        {
            Directory.CreateDirectory(Folder);
            await File.WriteAllTextAsync(Path.Combine(Folder, "1.mp4"), "clip", ct);
        });

        Target Group => _ => _.DependsOn(Writer);

        protected internal override IEnumerable<string> SummaryNotes(bool acted, IReadOnlyDictionary<string, FolderSize> listed)
        {
            Listed = listed;
            return [];
        }
    }

    [Fact]
    public async Task A_group_target_keeps_the_listing_its_last_stage_left_for_the_summary()
    {
        var build = new Grouped();
        Assert.Equal(0, await _h.RunAsync(build, "Group"));
        // Writer changed the folder and declared nothing, so its listing after the action is the one the summary gets.
        var size = Assert.Single(build.Listed!);
        Assert.Equal(Path.Combine(_h.Root, "clips"), size.Key);
        Assert.Equal(new FolderSize(1, 4), size.Value);
    }

    /// <summary>
    /// Writer adds a clip and declares it; Reader (after Writer) reads the listing of the folder it tracks; Stray reads
    /// one of a folder it does not track.
    /// </summary>
    private sealed class Listing : TestBuildBase
    {
        public List<TrackedFolder> Seen { get; } = [];

        public string Folder => Path.Combine(Root, "clips");

        string Other => Path.Combine(Root, "other");

        Target Writer => _ => _.Keyed(() => ["w"]).Tracks(() => [Folder]).Produces(() => [Path.Combine(Folder, "2.mp4")]).Executes(async ct =>
        {
            Seen.Add(TrackedFiles(Folder));
            await File.WriteAllTextAsync(Path.Combine(Folder, "2.mp4"), "clip two", ct);
        });

        Target Reader => _ => _.DependsOn(Writer).Keyed(() => ["r"]).Tracks(() => [Folder]).Executes(() => Seen.Add(TrackedFiles(Folder)));

        Target Stray => _ => _.Keyed(() => ["s"]).Tracks(() => [Folder]).Executes(() => Seen.Add(TrackedFiles(Other)));
    }

    [Fact]
    public async Task An_action_reads_the_listing_its_fingerprint_was_taken_from_refreshed_by_what_earlier_targets_declared()
    {
        Directory.CreateDirectory(Path.Combine(_h.Root, "clips"));
        File.WriteAllText(Path.Combine(_h.Root, "clips", "1.mp4"), "clip");
        var build = new Listing();
        var before = DateTime.UtcNow.Ticks;
        Assert.Equal(0, await _h.RunAsync(build, "Reader"));

        Assert.Equal(2, build.Seen.Count);
        var (first, second) = (build.Seen[0], build.Seen[1]);
        Assert.Equal([new TrackedFile(Path.Combine(build.Folder, "1.mp4"), 4, File.GetLastWriteTimeUtc(Path.Combine(build.Folder, "1.mp4")).Ticks)], first.Files);
        Assert.InRange(first.ListedAtTicks, before, DateTime.UtcNow.Ticks);
        // Writer's declared clip is stated again into the listing Reader gets; the listing keeps the time it began.
        Assert.Equal(["1.mp4", "2.mp4"], second.Files.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(8, second.Files[1].Length);
        Assert.Equal(first.ListedAtTicks, second.ListedAtTicks);
    }

    [Fact]
    public async Task An_action_cannot_read_the_listing_of_a_folder_it_does_not_track()
    {
        var build = new Listing();
        Assert.Equal(1, await _h.RunAsync(build, "Stray"));
        Assert.Contains("does not track", _h.Output + _h.Errors);
        Assert.Empty(build.Seen);
    }
}
