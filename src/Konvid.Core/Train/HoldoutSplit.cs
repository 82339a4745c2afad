using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Konvid.Core.Train;

/// <summary>
/// Folds decided by the clip id alone (SHA-256 of the UTF-8 id, first 8 bytes big-endian, top 53 bits as a fraction in [0, 1)),
/// so a clip's fold never depends on which other clips are in the corpus: adding clips never moves the held-out fold.
/// </summary>
internal static class HoldoutSplit
{
    /// <summary>The clip's position in [0, 1), uniform over ids.</summary>
    public static double Position(string clipId) => Position(clipId, salt: null);

    public static bool IsHeldOut(string clipId, double holdout) => Position(clipId) < holdout;

    /// <summary>Cross-validation fold in [0, folds): fold 0 is (for folds = 1/holdout) the held-out fold itself.</summary>
    public static int Fold(string clipId, int folds) => Math.Min(folds - 1, (int)(Position(clipId) * folds));

    /// <summary>The seed's own carve-out of train rows into validation: each seed draws a different one.</summary>
    public static bool IsValidation(string clipId, int seed, double fraction) => Position(clipId, $"seed{seed}") < fraction;

    /// <summary>The seed's sample of fit rows on which the candidate learners are compared when there are many.</summary>
    public static bool IsInChoiceSample(string clipId, int seed, double fraction) => Position(clipId, $"choice{seed}") < fraction;

    private static double Position(string clipId, string? salt)
    {
        Span<byte> hash = stackalloc byte[32];
        var text = salt is null ? clipId : salt + "\n" + clipId;
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        // 53 bits: a double holds them exactly, so the position never rounds up to 1.0.
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
