using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Workspace;

public class AttritionLedgerTests
{
    [Fact]
    public async Task A_stage_rerun_replaces_its_losses_and_keeps_other_stages()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        await AttritionLedger.WriteStageAsync(layout, Stage.Probe, [new("b.mp4", Stage.Probe, "moov atom not found"), new("a.mp4", Stage.Probe, "zero bytes")]);
        await AttritionLedger.WriteStageAsync(layout, Stage.Download, [new("x.mp4", Stage.Download, "HTTP 404, \"gone\"")]);
        await AttritionLedger.WriteStageAsync(layout, Stage.Probe, [new("a.mp4", Stage.Probe, "zero bytes")]);

        var lines = await File.ReadAllLinesAsync(layout.Attrition);
        Assert.Equal(["id,stage,reason", "x.mp4,Download,\"HTTP 404, \"\"gone\"\"\"", "a.mp4,Probe,zero bytes"], lines);
        Assert.Equal(2, (await AttritionLedger.ReadAllAsync(layout)).Count);
    }

    [Fact]
    public async Task Shards_write_their_own_parts_and_an_unsharded_run_supersedes_them()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        await AttritionLedger.WriteStageAsync(layout, Stage.Features, [new("a", Stage.Features, "r")], "shard-0-of-2");
        await AttritionLedger.WriteStageAsync(layout, Stage.Features, [new("b", Stage.Features, "r")], "shard-1-of-2");
        Assert.Equal(["a", "b"], (await AttritionLedger.ReadAllAsync(layout)).Select(e => e.Id));

        await AttritionLedger.WriteStageAsync(layout, Stage.Features, [new("c", Stage.Features, "r")]);
        Assert.Equal(["c"], (await AttritionLedger.ReadAllAsync(layout)).Select(e => e.Id));
    }

    [Fact]
    public async Task The_parts_up_to_a_stage_leave_out_later_stages_and_strangers()
    {
        using var dir = new TempDir();
        var layout = new CorpusLayout(dir.Path, "c");
        await AttritionLedger.WriteStageAsync(layout, Stage.Train, [new("t", Stage.Train, "r")]);
        await AttritionLedger.WriteStageAsync(layout, Stage.Probe, [new("p", Stage.Probe, "r")], "shard-1-of-2");
        await AttritionLedger.WriteStageAsync(layout, Stage.Download, []);
        await AttritionLedger.WriteStageAsync(layout, Stage.Jsonl, []);
        await File.WriteAllTextAsync(Path.Combine(layout.AttritionParts, "Trainer.csv"), "id,stage,reason\n");

        Assert.Equal(["Download.csv", "Jsonl.csv", "Probe.shard-1-of-2.csv"], AttritionLedger.PartsUpTo(layout, Stage.Jsonl).Select(Path.GetFileName));
        Assert.Equal(["Download.csv"], AttritionLedger.PartsUpTo(layout, Stage.Download).Select(Path.GetFileName));
    }
}
