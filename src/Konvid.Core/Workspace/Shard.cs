using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Konvid.Core.Workspace;

/// <summary>Shard I of N: a clip belongs to shard <c>hash(clip id) mod N</c>, so shards are disjoint, cover everything and never move.</summary>
public readonly record struct Shard(int Index, int Count)
{
    public static readonly Shard All = new(0, 1);

    public bool IsAll => Count == 1;

    /// <summary>Tag for files a shard writes alone ("shard-2-of-8").</summary>
    public string Tag => $"shard-{Index}-of-{Count}";

    public bool Contains(string clipId) => Count == 1 || StableHash(clipId) % (ulong)Count == (ulong)Index;

    /// <summary>First 8 bytes of SHA-256 of the UTF-8 id: identical on every machine and runtime, unlike string.GetHashCode.</summary>
    public static ulong StableHash(string id)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out var i) && int.TryParse(parts[1], out var n) && n >= 1 && i >= 0 && i < n)
            return new Shard(i, n);
        throw new KonvidException($"--shard '{text}' is not I/N with 0 <= I < N", "e.g. --shard 0/4 for the first of four shards");
    }

    public override string ToString() => $"{Index}/{Count}";
}
