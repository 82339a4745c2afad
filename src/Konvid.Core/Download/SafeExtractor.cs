using System.Buffers;
using System.IO.Compression;
using Konvid.Core.Workspace;

namespace Konvid.Core.Download;

/// <summary>
/// Extracts a zip so that nothing lands outside the target folder: entries with '..', absolute paths, links or
/// other non-regular files, and zip bombs are refused and reported, never written. Each entry is written to a temp
/// file and renamed, and entries already present with their size are skipped, so an interrupted extraction resumes.
/// </summary>
internal static class SafeExtractor
{
    private const long BombFloor = 1 << 20;
    private const int UnixTypeMask = 0xF000, UnixRegular = 0x8000, UnixDirectory = 0x4000, UnixSymlink = 0xA000;

    public sealed record Result(ExtractionRecord Record, int Extracted);

    public static async Task<Result> ExtractAsync(string archive, string target, double maxRatio, IProgressReporter progress, CancellationToken ct)
    {
        var name = Path.GetFileName(archive);
        Directory.CreateDirectory(target);
        var root = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var files = new List<ExtractedFile>();
        var refused = new List<RefusedEntry>();
        var extracted = 0;
        try
        {
            using var zip = ZipFile.OpenRead(archive);
            var plan = new List<(ZipArchiveEntry Entry, string Relative, string Full)>();
            foreach (var entry in zip.Entries)
            {
                if (IsDirectory(entry)) continue;
                if (Refusal(entry, root, maxRatio) is { } why)
                {
                    refused.Add(new RefusedEntry(entry.FullName, why));
                    continue;
                }
                var relative = entry.FullName.Replace('\\', '/');
                files.Add(new ExtractedFile(relative, entry.Length));
                var full = Path.GetFullPath(Path.Combine(root, relative));
                if (new FileInfo(full) is { Exists: true } have && have.Length == entry.Length) continue;
                plan.Add((entry, relative, full));
            }

            using var task = progress.Start($"extract {name}", plan.Sum(p => p.Entry.Length), "bytes");
            foreach (var (entry, relative, full) in plan)
            {
                ct.ThrowIfCancellationRequested();
                if (await WriteEntryAsync(entry, full, task, ct) is { } why)
                {
                    files.RemoveAll(f => f.Path == relative);
                    refused.Add(new RefusedEntry(entry.FullName, why));
                    continue;
                }
                extracted++;
            }
        }
        catch (InvalidDataException e)
        {
            File.Delete(archive);
            throw new KonvidException($"Download: {name} is truncated or corrupt ({e.Message}); it was deleted",
                "re-run Download to fetch it again");
        }
        return new Result(new ExtractionRecord(new FileInfo(archive).Length, files, refused), extracted);
    }

    private static bool IsDirectory(ZipArchiveEntry entry) =>
        entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\')
        || ((entry.ExternalAttributes >> 16) & UnixTypeMask) == UnixDirectory;

    /// <summary>Why an entry must not be written, or null when it is a plain file that stays inside the target.</summary>
    internal static string? Refusal(ZipArchiveEntry entry, string root, double maxRatio)
    {
        var name = entry.FullName;
        var path = name.Replace('\\', '/');
        var unixType = (entry.ExternalAttributes >> 16) & UnixTypeMask;
        if (name.Length == 0 || name.Contains('\0')) return "refused: empty or invalid entry name";
        if (path.StartsWith('/') || Path.IsPathRooted(name) || (path.Length >= 2 && path[1] == ':'))
            return "refused: absolute path in archive";
        if (path.Split('/').Any(s => s == ".."))
            return "refused: '..' in archive path would escape the target folder";
        if (unixType == UnixSymlink) return "refused: symbolic link in archive";
        if (unixType != 0 && unixType != UnixRegular) return "refused: not a regular file (link or device) in archive";
        var full = Path.GetFullPath(Path.Combine(root, path));
        if (!full.StartsWith(root, StringComparison.Ordinal)) return "refused: path escapes the target folder";
        if (entry.Length > BombFloor && entry.Length > maxRatio * Math.Max(1, entry.CompressedLength))
            return $"refused: inflates {entry.Length} bytes from {entry.CompressedLength} (ratio above {maxRatio:0}), a zip bomb";
        return null;
    }

    /// <summary>Writes one entry via temp+rename; null on success, the refusal reason if it inflates beyond its declared size.</summary>
    private static async Task<string?> WriteEntryAsync(ZipArchiveEntry entry, string full, IProgressTask task, CancellationToken ct)
    {
        var declared = entry.Length;
        var overran = false;
        try
        {
            await AtomicFile.WriteAsync(full, async (output, c) =>
            {
                await using var input = entry.Open();
                var buffer = ArrayPool<byte>.Shared.Rent(1 << 18);
                try
                {
                    long written = 0;
                    int read;
                    while ((read = await input.ReadAsync(buffer, c)) > 0)
                    {
                        written += read;
                        // Headers can lie about sizes; never inflate past what was declared and checked.
                        if (written > declared) { overran = true; throw new InvalidDataException("entry longer than declared"); }
                        await output.WriteAsync(buffer.AsMemory(0, read), c);
                        task.Advance(read);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }, ct);
        }
        catch (InvalidDataException) when (overran)
        {
            return $"refused: inflates past its declared {declared} bytes";
        }
        return null;
    }
}
