using Konvid.Core.Features.Deep;

namespace Konvid.Core.Predict;

/// <summary>
/// Parameters of Predict: the model folder, where CNN features run, how many clips at once, the <c>--out</c> file
/// (null: none), and whether stdout gets one JSON document instead of a line a clip.
/// </summary>
public sealed record PredictOptions(string ModelDir, DeviceKind Device = DeviceKind.Auto, int Jobs = 1, string? Out = null, bool Json = false);
