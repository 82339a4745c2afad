using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Konvid.Core.Workspace;

namespace Konvid.Core.Download;

/// <summary>
/// Fetches one URL into a file: bytes go to a .part file that survives failures and is resumed with an HTTP Range
/// request, and only a complete (and, when a digest is known, verified) .part is renamed to its final name. file://
/// takes the same path, so a file mirror behaves like a server.
/// </summary>
internal sealed class Fetcher(HttpClient http, DownloadOptions options)
{
    private const int BufferSize = 1 << 18;
    private long _bytes;

    public long BytesFetched => Interlocked.Read(ref _bytes);

    public static HttpClient CreateClient(DownloadOptions options) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = Math.Max(1, options.Jobs),
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = options.StallTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { { "User-Agent", "Konvid/1.0 (+corpus download; resumable)" } },
    };

    public async Task<TransferOutcome> FetchAsync(Uri uri, string destination, string part, string? sha256, TransferMeter meter, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        for (var attempt = 1; ; attempt++)
        {
            var step = uri.IsFile ? await CopyAttemptAsync(uri, part, meter, ct) : await HttpAttemptAsync(uri, part, meter, ct);
            if (step.Kind == StepKind.Complete)
            {
                if (sha256 is not null && await FileHasher.Sha256Async(part, ct: ct) is var actual && !actual.Equals(sha256, StringComparison.OrdinalIgnoreCase))
                {
                    File.Delete(part);
                    step = Step.Transient($"sha256 {actual} differs from the catalog's {sha256.ToLowerInvariant()}");
                }
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    File.Move(part, destination, overwrite: true);
                    return new TransferOutcome(true, attempt, null, false);
                }
            }
            if (step.Kind == StepKind.Permanent) return new TransferOutcome(false, attempt, step.Reason, true);
            if (attempt >= options.MaxAttempts) return new TransferOutcome(false, attempt, step.Reason, false);
            await Task.Delay(step.RetryAfter is { } wait ? Min(wait, options.MaxRetryAfter) : Backoff(attempt), ct);
        }
    }

    private async Task<Step> HttpAttemptAsync(Uri uri, string part, TransferMeter meter, CancellationToken ct)
    {
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stall.CancelAfter(options.StallTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Step.Transient($"no response within {options.StallTimeout.TotalSeconds:0.###} s from {uri}");
        }
        catch (HttpRequestException e)
        {
            return Step.Transient($"request to {uri} failed: {e.Message}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is 404 or 410) return Step.Permanent($"HTTP {status} from {uri}");
            if (status is 408 or 429 or >= 500) return Step.Transient($"HTTP {status} from {uri}", RetryAfter(response));
            if (status == 416 && have > 0)
            {
                if (response.Content.Headers.ContentRange?.Length == have) return Step.Complete;
                File.Delete(part);
                return Step.Restart($"HTTP 416 for a resume at byte {have} of {uri}");
            }
            if (status is not (200 or 206)) return Step.Permanent($"HTTP {status} from {uri}");

            long offset = 0;
            long? total = response.Content.Headers.ContentLength;
            if (status == 206)
            {
                var range = response.Content.Headers.ContentRange;
                if (range is not { HasRange: true } || range.From != have)
                {
                    // A Content-Range that does not continue our bytes cannot be stitched on; start over cleanly.
                    File.Delete(part);
                    return Step.Restart($"Content-Range '{range}' does not continue at byte {have} of {uri}");
                }
                offset = have;
                total = range.Length ?? (total is { } n ? have + n : null);
            }
            meter.Expect((total ?? 0) - offset);

            long received = offset;
            var reading = true; // tells a dropped connection (retry) from a failing disk (an error to surface)
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(stall.Token);
                reading = false;
                await using var file = new FileStream(part, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                // 200 to a Range request means the server ignored it: the whole body follows, so overwrite from byte 0.
                file.SetLength(offset);
                file.Position = offset;
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    while (true)
                    {
                        stall.CancelAfter(options.StallTimeout);
                        reading = true;
                        var read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token);
                        if (read == 0) break;
                        reading = false;
                        await file.WriteAsync(buffer.AsMemory(0, read), ct);
                        received += read;
                        Interlocked.Add(ref _bytes, read);
                        meter.Advance(read);
                    }
                    reading = false;
                    file.Flush(flushToDisk: true);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return Step.Transient($"stalled: no data for {options.StallTimeout.TotalSeconds:0.###} s at byte {received} of {uri}");
            }
            catch (IOException e) when (reading)
            {
                return Step.Transient($"connection dropped at byte {received} of {uri}: {e.Message}");
            }
            catch (IOException e)
            {
                // A full or failing disk is not the server's fault: retrying cannot help, the user has to act.
                throw new KonvidException($"Download: writing {part} failed at byte {received} ({e.Message})",
                    "free space there (or make it writable) and re-run Download; the bytes already written are kept");
            }
            catch (HttpRequestException e)
            {
                return Step.Transient($"connection dropped at byte {received} of {uri}: {e.Message}");
            }

            if (total is { } expected && received != expected)
            {
                if (received > expected) File.Delete(part);
                return Step.Transient($"got {received} of {expected} bytes from {uri}");
            }
            return Step.Complete;
        }
    }

    private async Task<Step> CopyAttemptAsync(Uri uri, string part, TransferMeter meter, CancellationToken ct)
    {
        var source = uri.LocalPath;
        if (!File.Exists(source)) return Step.Permanent($"no such file {source}");
        try
        {
            await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var file = new FileStream(part, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            var offset = file.Length <= input.Length ? file.Length : 0;
            file.SetLength(offset);
            file.Position = offset;
            input.Position = offset;
            meter.Expect(input.Length - offset);
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                int read;
                while ((read = await input.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    Interlocked.Add(ref _bytes, read);
                    meter.Advance(read);
                }
                file.Flush(flushToDisk: true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return Step.Complete;
        }
        catch (IOException e)
        {
            return Step.Transient($"copying {source} failed: {e.Message}");
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private TimeSpan Backoff(int attempt)
    {
        var exponential = options.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 10));
        var jittered = exponential * (0.75 + 0.5 * Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(jittered, TimeSpan.FromMinutes(1).TotalMilliseconds));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private enum StepKind { Complete, Transient, Permanent }

    private sealed record Step(StepKind Kind, string? Reason, TimeSpan? RetryAfter)
    {
        public static readonly Step Complete = new(StepKind.Complete, null, null);

        public static Step Transient(string reason, TimeSpan? retryAfter = null) => new(StepKind.Transient, reason, retryAfter);

        /// <summary>The .part was discarded; the next attempt starts from byte 0 without waiting.</summary>
        public static Step Restart(string reason) => new(StepKind.Transient, reason, TimeSpan.Zero);

        public static Step Permanent(string reason) => new(StepKind.Permanent, reason, null);
    }
}
