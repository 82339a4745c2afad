using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Konvid.Bench;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 for the Download benchmark: GET and HEAD of the files under one folder,
/// single byte ranges (<c>bytes=a-b</c>, <c>a-</c>, <c>-n</c>), keep-alive. curl and Download fetch from this same
/// server, so the figure compares the clients and not the servers. Bodies go out in 1 MiB blocks read straight
/// from the file handle, so the server is never the bottleneck of either.
/// </summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    private const int BlockSize = 1 << 20;
    private const int MaxHeaderBytes = 16 << 10;
    private readonly TcpListener _listener;
    private readonly string _root;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _bytesServed;

    private LoopbackFileServer(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync(_stop.Token);
    }

    public static LoopbackFileServer Start(string root) => new(root);

    /// <summary>http://127.0.0.1:PORT/ ; a file's URL is this plus its path relative to the served folder.</summary>
    public Uri BaseUri { get; }

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public Uri UrlOf(string relativePath) => new(BaseUri, string.Join('/', relativePath.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString)));

    private async Task AcceptAsync(CancellationToken ct)
    {
        var connections = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(ct);
                socket.NoDelay = true;
                connections.Add(ServeAsync(socket, ct));
                connections.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException) when (ct.IsCancellationRequested) { }
        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            var filled = 0;
            while (!ct.IsCancellationRequested)
            {
                int end;
                while ((end = HeaderEnd(buffer.AsSpan(0, filled))) < 0)
                {
                    if (filled >= MaxHeaderBytes) return;
                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled, MaxHeaderBytes - filled), SocketFlags.None, ct);
                    if (read == 0) return;
                    filled += read;
                }
                var request = Request.Parse(Encoding.ASCII.GetString(buffer, 0, end));
                // Requests without a body: whatever follows the blank line is the next (pipelined) request.
                filled -= end + 4;
                Buffer.BlockCopy(buffer, end + 4, buffer, 0, filled);
                var keepAlive = await RespondAsync(socket, request, buffer.AsMemory(MaxHeaderBytes), ct);
                if (!keepAlive) return;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up or the server stops: the connection simply ends.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            socket.Dispose();
        }
    }

    private async Task<bool> RespondAsync(Socket socket, Request request, Memory<byte> block, CancellationToken ct)
    {
        if (request.Method is not ("GET" or "HEAD"))
        {
            await SendHeadAsync(socket, "405 Method Not Allowed", 0, null, request.KeepAlive, ct);
            return request.KeepAlive;
        }
        var path = Resolve(request.Target);
        if (path is null || !File.Exists(path))
        {
            await SendHeadAsync(socket, "404 Not Found", 0, null, request.KeepAlive, ct);
            return request.KeepAlive;
        }

        using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(file);
        var range = ByteRange.Parse(request.Range, length);
        if (range is { Satisfiable: false })
        {
            await SendHeadAsync(socket, "416 Range Not Satisfiable", 0, $"Content-Range: bytes */{length}\r\n", request.KeepAlive, ct);
            return request.KeepAlive;
        }
        var (from, to) = range is { } r ? (r.From, r.To) : (0L, length - 1);
        var count = length == 0 ? 0 : to - from + 1;
        if (range is null) await SendHeadAsync(socket, "200 OK", count, null, request.KeepAlive, ct);
        else await SendHeadAsync(socket, "206 Partial Content", count, $"Content-Range: bytes {from}-{to}/{length}\r\n", request.KeepAlive, ct);
        if (request.Method == "HEAD") return request.KeepAlive;

        for (var offset = from; offset < from + count;)
        {
            var want = (int)Math.Min(block.Length, from + count - offset);
            var read = await RandomAccess.ReadAsync(file, block[..want], offset, ct);
            if (read == 0) return false;
            await SendAllAsync(socket, block[..read], ct);
            offset += read;
            Interlocked.Add(ref _bytesServed, read);
        }
        return request.KeepAlive;
    }

    private static async Task SendHeadAsync(Socket socket, string status, long contentLength, string? extra, bool keepAlive, CancellationToken ct)
    {
        var head = $"HTTP/1.1 {status}\r\nContent-Length: {contentLength.ToString(CultureInfo.InvariantCulture)}\r\nAccept-Ranges: bytes\r\n"
                   + $"Content-Type: application/octet-stream\r\n{extra}Connection: {(keepAlive ? "keep-alive" : "close")}\r\n\r\n";
        await SendAllAsync(socket, Encoding.ASCII.GetBytes(head), ct);
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, ct);
            data = data[sent..];
        }
    }

    /// <summary>The file a request target names, or null when it would leave the served folder.</summary>
    private string? Resolve(string target)
    {
        var path = target.Split('?', 2)[0];
        var relative = Uri.UnescapeDataString(path).TrimStart('/');
        var full = Path.GetFullPath(Path.Combine(_root, relative));
        return full.StartsWith(_root, StringComparison.Ordinal) ? full : null;
    }

    private static int HeaderEnd(ReadOnlySpan<byte> data) => data.IndexOf("\r\n\r\n"u8);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private sealed record Request(string Method, string Target, string? Range, bool KeepAlive)
    {
        public static Request Parse(string head)
        {
            var lines = head.Split("\r\n");
            var first = lines[0].Split(' ');
            string? range = null;
            var keepAlive = first.Length < 3 || first[2] != "HTTP/1.0";
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                if (colon <= 0) continue;
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Range", StringComparison.OrdinalIgnoreCase)) range = value;
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                    keepAlive = value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                                || (keepAlive && !value.Equals("close", StringComparison.OrdinalIgnoreCase));
            }
            return new Request(first[0], first.Length > 1 ? first[1] : "/", range, keepAlive);
        }
    }
}
