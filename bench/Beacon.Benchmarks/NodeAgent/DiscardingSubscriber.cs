using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>
/// A bare NATS protocol client that subscribes and throws every delivery away: stands in for hundreds of agents'
/// subscriptions when only the server's fan-out is measured (a NATS.Net connection per simulated agent would cost this
/// 2-core machine more than the server does). Each subscription counts as one delivery per matching message.
/// </summary>
internal sealed class DiscardingSubscriber : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Task _draining;

    private DiscardingSubscriber(TcpClient tcp, Task draining)
    {
        _tcp = tcp;
        _draining = draining;
    }

    public static async Task<DiscardingSubscriber> ConnectAsync(int port, IReadOnlyList<string> subjects, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        tcp.ReceiveBufferSize = 1 << 20;
        var stream = tcp.GetStream();
        await ReadUntilAsync(stream, "\r\n", cancellationToken); // INFO
        var hello = new StringBuilder("CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"bench-subscriber\"}\r\n");
        for (var i = 0; i < subjects.Count; i++)
        {
            hello.Append("SUB ").Append(subjects[i]).Append(' ').Append(i + 1).Append("\r\n");
        }

        hello.Append("PING\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(hello.ToString()), cancellationToken);
        await ReadUntilAsync(stream, "PONG\r\n", cancellationToken); // the server has every subscription
        return new DiscardingSubscriber(tcp, Task.Run(() => DrainAsync(stream)));
    }

    private static async Task ReadUntilAsync(NetworkStream stream, string marker, CancellationToken cancellationToken)
    {
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("nats-server closed the connection: " + seen);
            }

            seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    private static async Task DrainAsync(NetworkStream stream)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Closed by DisposeAsync.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        await _draining;
    }
}
