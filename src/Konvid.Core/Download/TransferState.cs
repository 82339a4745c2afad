using System.Text.Json.Serialization;

namespace Konvid.Core.Download;

/// <summary>The outcome recorded in .download-progress.json for one source or clip.</summary>
internal sealed record TransferState(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("permanent")] bool Permanent)
{
    public const string Done = "done";
    public const string Failed = "failed";

    [JsonIgnore] public bool IsDone => Status == Done;

    [JsonIgnore] public bool IsPermanentFailure => Status == Failed && Permanent;
}
