using System.Net;
using System.Net.Sockets;
using Beacon.Hosting.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Beacon.Hosting.Http;

/// <summary>
/// Serves /healthz, /readyz and /metrics over plain HTTP/1.x on one socket: one request per connection (the response
/// closes it), GET only. Kestrel and routing, with what only they used, were 4 MB of each NativeAOT node component's
/// 20 MB executable and about 6 MiB of its RSS, for three fixed endpoints (docs/benchmarks.md, "Footprint"). Started after every other hosted service,
/// stopped before them, as Kestrel was; a port already in use fails the start.
/// </summary>
public sealed class ProbeHttpServer(IPEndPoint endpoint, HealthEndpoints endpoints, ILogger<ProbeHttpServer> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>A client gets this long to send its request head and take the response, so a stalled one cannot hold a connection slot.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Connections served at once; more are closed at once (probes and scrapers make one at a time).</summary>
    public const int MaxConnections = 16;

    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;
    private int _connections;

    /// <summary>Where it listens once started (the chosen port when the options asked for 0).</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    /// <summary>The URL for the log line "listening on ...".</summary>
    public string? Url => LocalEndPoint is { } bound ? $"http://{bound}" : null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
                listener.DualMode = true;
            // No ReuseAddress: on Linux .NET sets SO_REUSEPORT with it, and a second process could then share the port.
            listener.Bind(endpoint);
            listener.Listen(MaxConnections);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"cannot listen on http://{endpoint} for /healthz, /readyz and /metrics: {e.Message}", e);
        }

        _listener = listener;
        _accepting = Task.Run(() => AcceptAsync(listener), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _accepting.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection reset before it was accepted, or the process is out of descriptors: not fatal for the service.
                logger.LogWarning("HTTP accept failed: {Reason}", e.Message);
                continue;
            }

            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                client.Dispose();
                continue;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            var (response, getOnly) = await RespondAsync(client, timeout.Token).ConfigureAwait(false);
            await client.SendAsync(response.Head(getOnly), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            if (response.Body.Length > 0)
                await client.SendAsync(response.Body, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Send);
            // Read what the client still sends (the rest of a refused request) until it closes: closing with unread
            // data would reset the connection and could lose the response on its way.
            var rest = new byte[512];
            while (await client.ReceiveAsync(rest, SocketFlags.None, timeout.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or stalled: nothing to answer.
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref _connections);
        }
    }

    private async Task<(HttpResponse Response, bool GetOnly)> RespondAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[HttpRequestHead.MaxLength];
        var received = 0;
        int end;
        while ((end = HttpRequestHead.EndOf(buffer.AsSpan(0, received))) < 0)
        {
            if (received == buffer.Length)
                return (HttpResponse.Text(431, $"the request head is longer than {HttpRequestHead.MaxLength} bytes\n"), false);
            var read = await client.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new OperationCanceledException("the client closed the connection before its request was complete");
            received += read;
        }

        var head = HttpRequestHead.TryParse(buffer.AsSpan(0, end), out var problem);
        if (head is null)
            return (HttpResponse.Text(400, problem + "\n"), false);
        if (head.Method != "GET")
            return (HttpResponse.Text(405, $"{head.Method} is not served; use GET\n"), true);
        try
        {
            return (await endpoints.GetAsync(head, cancellationToken).ConfigureAwait(false)
                ?? HttpResponse.Text(404, $"{head.Path} is not served: /healthz, /readyz and /metrics are\n"), false);
        }
#pragma warning disable CA1031 // One failed request is a 500 for that client, never a crash of the service.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogError(e, "HTTP GET {Path} failed: {Reason}", head.Path, e.Message);
            return (HttpResponse.Text(500, $"{head.Path} failed: {e.Message}\n"), false);
        }
    }
}
