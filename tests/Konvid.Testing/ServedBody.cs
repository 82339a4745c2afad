using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Konvid.Testing;

/// <summary>What a path serves: stored bytes, or bytes computed from their offset so gigabytes cost no memory.</summary>
public abstract class ServedBody
{
    public abstract long Length { get; }

    /// <summary>Writes the bytes at [<paramref name="offset"/>, offset + destination.Length) into <paramref name="destination"/>.</summary>
    public abstract void Fill(long offset, Span<byte> destination);

    public static ServedBody Of(byte[] bytes) => new Stored(bytes);

    /// <summary><paramref name="length"/> bytes where each 8-byte word is SplitMix64 of its index and the seed.</summary>
    public static ServedBody Formula(long length, ulong seed) => new Computed(length, seed);

    /// <summary>SHA-256 of the whole body, computed by generating it again (the oracle for a transferred copy).</summary>
    public string Sha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long at = 0; at < Length; at += buffer.Length)
        {
            var n = (int)Math.Min(buffer.Length, Length - at);
            Fill(at, buffer.AsSpan(0, n));
            hash.AppendData(buffer, 0, n);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed class Stored(byte[] bytes) : ServedBody
    {
        public override long Length => bytes.Length;

        public override void Fill(long offset, Span<byte> destination) => bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
    }

    private sealed class Computed(long length, ulong seed) : ServedBody
    {
        public override long Length => length;

        public override void Fill(long offset, Span<byte> destination)
        {
            // Unaligned head and tail go through one word at a time; the aligned middle is written as whole words.
            var at = 0;
            while (at < destination.Length && ((offset + at) & 7) != 0) at += Partial(offset + at, destination[at..]);
            var words = MemoryMarshal.Cast<byte, ulong>(destination[at..]);
            var first = (ulong)((offset + at) >> 3);
            for (var i = 0; i < words.Length; i++) words[i] = BitConverter.IsLittleEndian ? Mix((first + (ulong)i) ^ seed) : BinaryPrimitives.ReverseEndianness(Mix((first + (ulong)i) ^ seed));
            at += words.Length * 8;
            while (at < destination.Length) at += Partial(offset + at, destination[at..]);
        }

        private int Partial(long position, Span<byte> destination)
        {
            Span<byte> word = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(word, Mix((ulong)(position >> 3) ^ seed));
            var within = (int)(position & 7);
            var n = Math.Min(8 - within, destination.Length);
            word.Slice(within, n).CopyTo(destination);
            return n;
        }

        private static ulong Mix(ulong z)
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
