using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Konvid.Core.Workspace;

/// <summary>SHA-256 of a file, read in 1 MiB blocks without a stream buffer in between, as fast as sha256sum.</summary>
internal static class FileHasher
{
    private const int BlockSize = 1 << 20;

    public static async Task<string> Sha256Async(string path, Action<long>? advance = null, CancellationToken ct = default)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            long offset = 0;
            int read;
            while ((read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, BlockSize), offset, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                offset += read;
                advance?.Invoke(read);
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
