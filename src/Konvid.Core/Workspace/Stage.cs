namespace Konvid.Core.Workspace;

/// <summary>
/// The stages that account for losses, in pipeline order: their names are the targets' and the attrition ledger's
/// (its part files and its stage column), their order the ledger's.
/// </summary>
public enum Stage
{
    Download,
    Verify,
    Probe,
    Features,
    Jsonl,
    Train,
}
