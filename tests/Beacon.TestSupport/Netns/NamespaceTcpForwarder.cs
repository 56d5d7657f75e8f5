using System.Net;
using System.Net.Sockets;
using Beacon.Networking;

namespace Beacon.TestSupport.Netns;

/// <summary>
/// Lets the test process reach a TCP server inside a network namespace: listens on a loopback port here and, per
/// connection, opens the upstream socket inside the namespace (created on a setns thread; sockets keep their
/// namespace) and copies bytes both ways. No interface is added to the root namespace.
/// </summary>
public sealed class NamespaceTcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _namespace;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public NamespaceTcpForwarder(string namespaceName, IPEndPoint upstream)
    {
        _namespace = namespaceName;
        _upstream = upstream;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => PipeAsync(client));
        }
    }

    private async Task PipeAsync(Socket client)
    {
        using var _ = client;
        using var upstream = NetworkNamespaceScope.Run(_namespace, () => new Socket(_upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            await upstream.ConnectAsync(_upstream, _stop.Token);
            using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = CopyAsync(client, upstream, both.Token);
            var down = CopyAsync(upstream, client, both.Token);
            await Task.WhenAny(up, down);
            await both.CancelAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Either side went away: closing both ends tells the other.
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
