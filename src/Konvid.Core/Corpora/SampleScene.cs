namespace Konvid.Core.Corpora;

/// <summary>
/// One undistorted source: an ffmpeg lavfi graph (ending in yuv420p) for a given geometry. Every generator with a
/// random element has its seed fixed here, so a scene renders to the same pixels on every run.
/// </summary>
internal sealed record SampleScene(string Name, string Content, Func<SampleGeometry, string> Graph);
