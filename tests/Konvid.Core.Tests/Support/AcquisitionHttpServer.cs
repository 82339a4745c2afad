using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Konvid.Core.Tests.Support;

/// <summary>How the server answers one request for a path.</summary>
public abstract record Reply
{
    /// <summary>Serves the body, honouring "Range: bytes=N-" with 206 and Content-Range.</summary>
    public static readonly Reply Normal = new NormalReply();

    /// <summary>Accepts the request and never sends a byte.</summary>
    public static readonly Reply Hang = new HangReply();

    /// <summary>Always 200 with the whole body, whatever Range asked for.</summary>
    public static readonly Reply IgnoreRange = new IgnoreRangeReply();

    /// <summary>206 that claims to start at byte 0 whatever Range asked for, with the whole body.</summary>
    public static readonly Reply WrongContentRange = new WrongContentRangeReply();

    public static Reply Status(int code, int? retryAfterSeconds = null) => new StatusReply(code, retryAfterSeconds);

    /// <summary>Like <see cref="Normal"/> (Range honoured, full length declared) but the connection is cut after <paramref name="bytes"/>.</summary>
    public static Reply DropAfter(long bytes) => new DropReply(bytes);

    /// <summary>Like <see cref="Normal"/>, in chunks of <paramref name="chunk"/> bytes with a pause between them.</summary>
    public static Reply Throttle(int chunk, TimeSpan pause) => new ThrottleReply(chunk, pause);

    internal sealed record NormalReply : Reply;
    internal sealed record HangReply : Reply;
    internal sealed record IgnoreRangeReply : Reply;
    internal sealed record WrongContentRangeReply : Reply;
    internal sealed record StatusReply(int Code, int? RetryAfterSeconds) : Reply;
    internal sealed record DropReply(long Bytes) : Reply;
    internal sealed record ThrottleReply(int Chunk, TimeSpan Pause) : Reply;
}

/// <summary>One request as the server saw it.</summary>
public sealed record ServedRequest(string Path, string? Range, int Status, DateTimeOffset At);

/// <summary>
/// A real HTTP server (Kestrel) on 127.0.0.1 and a random port, scripted per path: a body, a default reply and a
/// queue of one-shot replies consumed in order (e.g. one 503, then the default). It logs every request and counts
/// the body bytes it sent per path, so tests can prove what was (not) fetched again.
/// </summary>
public sealed class AcquisitionHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ServedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, long> _sent = new(StringComparer.Ordinal);

    private AcquisitionHttpServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public static async Task<AcquisitionHttpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new AcquisitionHttpServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUri = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        return server;
    }

    public Uri Url(string path) => new(BaseUri, path.TrimStart('/'));

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/>: first the <paramref name="once"/> replies in order, then <paramref name="otherwise"/>.</summary>
    public void Serve(string path, byte[] body, Reply? otherwise = null, params Reply[] once) =>
        _routes[Normalise(path)] = new Route(body, otherwise ?? Reply.Normal, new ConcurrentQueue<Reply>(once));

    /// <summary>Changes how a path answers from now on, keeping its body.</summary>
    public void Answer(string path, Reply otherwise, params Reply[] once)
    {
        var route = _routes[Normalise(path)];
        _routes[Normalise(path)] = route with { Default = otherwise, Once = new ConcurrentQueue<Reply>(once) };
    }

    public IReadOnlyList<ServedRequest> Requests => [.. _requests];

    public IReadOnlyList<ServedRequest> RequestsFor(string path) => [.. _requests.Where(r => r.Path == Normalise(path))];

    /// <summary>Body bytes written for <paramref name="path"/> over all requests, including cut-off ones.</summary>
    public long BytesSent(string path) => _sent.GetValueOrDefault(Normalise(path));

    public void ClearLog() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await _app.StopAsync(stop.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }

    private static string Normalise(string path) => "/" + path.TrimStart('/');

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var range = context.Request.Headers.Range.ToString() is { Length: > 0 } r ? r : null;
        if (!_routes.TryGetValue(path, out var route))
        {
            Log(path, range, 404);
            context.Response.StatusCode = 404;
            return;
        }
        var reply = route.Once.TryDequeue(out var next) ? next : route.Default;
        var ct = context.RequestAborted;
        switch (reply)
        {
            case Reply.HangReply:
                Log(path, range, 0);
                try { await Task.Delay(Timeout.Infinite, ct); } catch (OperationCanceledException) { }
                return;
            case Reply.StatusReply s:
                Log(path, range, s.Code);
                context.Response.StatusCode = s.Code;
                if (s.RetryAfterSeconds is { } after) context.Response.Headers.RetryAfter = after.ToString();
                return;
            case Reply.IgnoreRangeReply:
                Log(path, range, 200);
                await SendAsync(context, path, route.Body, 0, route.Body.Length, null, ct);
                return;
            case Reply.WrongContentRangeReply:
                Log(path, range, 206);
                context.Response.StatusCode = 206;
                context.Response.Headers.ContentRange = $"bytes 0-{route.Body.Length - 1}/{route.Body.Length}";
                await SendAsync(context, path, route.Body, 0, route.Body.Length, null, ct);
                return;
        }

        var from = ParseRangeStart(range);
        if (from is { } start && start >= route.Body.Length)
        {
            Log(path, range, 416);
            context.Response.StatusCode = 416;
            context.Response.Headers.ContentRange = $"bytes */{route.Body.Length}";
            return;
        }
        var offset = from ?? 0;
        Log(path, range, from is null ? 200 : 206);
        if (from is not null)
        {
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {offset}-{route.Body.Length - 1}/{route.Body.Length}";
        }
        context.Response.Headers.AcceptRanges = "bytes";
        var count = route.Body.Length - (int)offset;
        switch (reply)
        {
            case Reply.DropReply d:
                context.Response.ContentLength = count;
                await SendAsync(context, path, route.Body, (int)offset, (int)Math.Min(d.Bytes, count), null, ct);
                try
                {
                    await context.Response.Body.FlushAsync(ct);
                    await Task.Delay(50, ct); // let the bytes reach the client before the connection is cut
                }
                catch (OperationCanceledException) { }
                context.Abort();
                return;
            case Reply.ThrottleReply t:
                await SendAsync(context, path, route.Body, (int)offset, count, t, ct);
                return;
            default:
                await SendAsync(context, path, route.Body, (int)offset, count, null, ct);
                return;
        }
    }

    private async Task SendAsync(HttpContext context, string path, byte[] body, int offset, int count, Reply.ThrottleReply? throttle, CancellationToken ct)
    {
        context.Response.ContentLength ??= count;
        var chunk = throttle?.Chunk ?? 1 << 16;
        try
        {
            for (var at = offset; at < offset + count; at += chunk)
            {
                var n = Math.Min(chunk, offset + count - at);
                await context.Response.Body.WriteAsync(body.AsMemory(at, n), ct);
                _sent.AddOrUpdate(path, n, (_, v) => v + n);
                if (throttle is not null)
                {
                    await context.Response.Body.FlushAsync(ct);
                    await Task.Delay(throttle.Pause, ct);
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { } // the client went away: that is what these tests provoke
    }

    private static long? ParseRangeStart(string? range)
    {
        if (range is null || !range.StartsWith("bytes=", StringComparison.Ordinal)) return null;
        var spec = range["bytes=".Length..];
        var dash = spec.IndexOf('-');
        return dash > 0 && long.TryParse(spec[..dash], out var start) ? start : null;
    }

    private void Log(string path, string? range, int status) => _requests.Enqueue(new ServedRequest(path, range, status, DateTimeOffset.UtcNow));

    private sealed record Route(byte[] Body, Reply Default, ConcurrentQueue<Reply> Once);
}
