using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Konvid.Testing;

/// <summary>One request as the server saw it: the path, its Range header, the status answered (0: none) and when.</summary>
public sealed record SeenRequest(string Path, string? Range, int Status, DateTimeOffset At);

/// <summary>
/// A real HTTP server (Kestrel) on 127.0.0.1 and a random port, scripted per path: a body, a standing fault and a
/// queue of one-shot faults consumed in order (e.g. two resets, then the standing behaviour). Bodies may be computed
/// from their offsets, so a multi-gigabyte file costs no memory. Every request and every body byte sent is counted,
/// so tests can prove what was (not) fetched again. The Download tests and the reliability tests share it.
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    private const int Chunk = 1 << 18;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SeenRequest> _requests = new();
    private readonly ConcurrentDictionary<string, long> _sent = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    private FaultServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public static async Task<FaultServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FaultServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUri = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        return server;
    }

    public Uri Url(string path) => new(BaseUri, string.Join('/', path.TrimStart('/').Split('/').Select(Uri.EscapeDataString)));

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/>: the <paramref name="once"/> faults in order, then <paramref name="standing"/>.</summary>
    public void Serve(string path, ServedBody body, Fault? standing = null, params Fault[] once) =>
        _routes[Key(path)] = new Route(body, standing ?? Fault.None, new ConcurrentQueue<Fault>(once));

    public void Serve(string path, byte[] body, Fault? standing = null, params Fault[] once) => Serve(path, ServedBody.Of(body), standing, once);

    /// <summary>Changes how <paramref name="path"/> answers from now on, keeping its body (<see cref="Fault.None"/>: the outage is over).</summary>
    public void Answer(string path, Fault standing, params Fault[] once) =>
        _routes[Key(path)] = _routes[Key(path)] with { Standing = standing, Once = new ConcurrentQueue<Fault>(once) };

    public IReadOnlyList<SeenRequest> Requests => [.. _requests];

    public IReadOnlyList<SeenRequest> RequestsFor(string path) => [.. _requests.Where(r => r.Path == Key(path))];

    public void ClearLog() => _requests.Clear();

    /// <summary>Body bytes written for <paramref name="path"/> over all requests, cut-off ones included.</summary>
    public long BytesSent(string path) => _sent.GetValueOrDefault(Key(path));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await _app.StopAsync(stop.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static string Key(string path) => "/" + path.TrimStart('/');

    private async Task HandleAsync(HttpContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Path.Value ?? "/");
        var range = context.Request.Headers.Range.ToString() is { Length: > 0 } r ? r : null;
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var ct = both.Token;
        if (!_routes.TryGetValue(path, out var route))
        {
            Log(path, range, 404);
            context.Response.StatusCode = 404;
            return;
        }
        var fault = route.Once.TryDequeue(out var next) ? next : route.Standing;
        var body = route.Body;
        switch (fault)
        {
            case Fault.StallFault { AfterBytes: null }:
                Log(path, range, 0);
                await SilenceAsync(ct);
                return;
            case Fault.StatusFault s:
                Log(path, range, s.Code);
                context.Response.StatusCode = s.Code;
                if (s.RetryAfterSeconds is { } after) context.Response.Headers.RetryAfter = after.ToString();
                return;
            case Fault.RedirectFault redirect:
                Log(path, range, 302);
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = new Uri(BaseUri, redirect.Location.TrimStart('/')).ToString();
                return;
            case Fault.IgnoreRangeFault:
                Log(path, range, 200);
                context.Response.ContentLength = body.Length;
                await SendAsync(context, path, body, 0, body.Length, ct);
                return;
            case Fault.WrongContentRangeFault:
                Log(path, range, 206);
                context.Response.StatusCode = 206;
                context.Response.Headers.ContentRange = $"bytes 0-{body.Length - 1}/{body.Length}";
                context.Response.ContentLength = body.Length;
                await SendAsync(context, path, body, 0, body.Length, ct);
                return;
        }

        var from = RangeStart(range);
        if (from is { } start && start >= body.Length)
        {
            Log(path, range, 416);
            context.Response.StatusCode = 416;
            context.Response.Headers.ContentRange = $"bytes */{body.Length}";
            return;
        }
        var offset = from ?? 0;
        var count = body.Length - offset;
        Log(path, range, from is null ? 200 : 206);
        context.Response.Headers.AcceptRanges = "bytes";
        if (from is not null)
        {
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {offset}-{body.Length - 1}/{body.Length}";
        }
        switch (fault)
        {
            case Fault.ResetFault reset:
                context.Response.ContentLength = count;
                await SendAsync(context, path, body, offset, Math.Min(reset.Bytes, count), ct);
                await LetBytesArriveAsync(context, ct);
                context.Abort();
                return;
            case Fault.StallFault { AfterBytes: { } after }:
                context.Response.ContentLength = count;
                await SendAsync(context, path, body, offset, Math.Min(after, count), ct);
                await LetBytesArriveAsync(context, ct);
                await SilenceAsync(ct);
                return;
            case Fault.WrongLengthFault wrong:
                context.Response.ContentLength = count + wrong.Delta;
                await SendAsync(context, path, body, offset, Math.Min(count, count + wrong.Delta), ct);
                if (wrong.Delta > 0)
                {
                    await LetBytesArriveAsync(context, ct);
                    context.Abort();
                }
                return;
            case Fault.ThrottleFault throttle:
                context.Response.ContentLength = count;
                await SendAsync(context, path, body, offset, count, ct, throttle);
                return;
            default:
                context.Response.ContentLength = count;
                await SendAsync(context, path, body, offset, count, ct);
                return;
        }
    }

    private async Task SendAsync(HttpContext context, string path, ServedBody body, long offset, long count, CancellationToken ct,
        Fault.ThrottleFault? throttle = null)
    {
        var chunk = throttle?.Chunk ?? Chunk;
        var buffer = ArrayPool<byte>.Shared.Rent(chunk);
        try
        {
            for (var at = offset; at < offset + count; at += chunk)
            {
                var n = (int)Math.Min(chunk, offset + count - at);
                body.Fill(at, buffer.AsSpan(0, n));
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, n), ct);
                _sent.AddOrUpdate(path, n, (_, v) => v + n);
                if (throttle is null) continue;
                await context.Response.Body.FlushAsync(ct);
                await Task.Delay(throttle.Pause, ct);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { } // the client went away: that is what these tests provoke
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task LetBytesArriveAsync(HttpContext context, CancellationToken ct)
    {
        try
        {
            await context.Response.Body.FlushAsync(ct);
            await Task.Delay(50, ct); // the bytes reach the client before the connection is cut
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    private static async Task SilenceAsync(CancellationToken ct)
    {
        try { await Task.Delay(Timeout.Infinite, ct); } catch (OperationCanceledException) { }
    }

    private static long? RangeStart(string? range)
    {
        if (range is null || !range.StartsWith("bytes=", StringComparison.Ordinal)) return null;
        var spec = range["bytes=".Length..];
        var dash = spec.IndexOf('-');
        return dash > 0 && long.TryParse(spec[..dash], out var start) ? start : null;
    }

    private void Log(string path, string? range, int status) => _requests.Enqueue(new SeenRequest(path, range, status, DateTimeOffset.UtcNow));

    private sealed record Route(ServedBody Body, Fault Standing, ConcurrentQueue<Fault> Once);
}
