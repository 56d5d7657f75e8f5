using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Beacon.Networking;

namespace Beacon.NodeAgent.Tests.StaticStability;

/// <summary>
/// Finds the moment a restarted nats-server accepts clients again: connects from inside its namespace until the
/// server's INFO greeting arrives. "Within 2 s of its return" is measured from here.
/// </summary>
internal static class NatsAcceptProbe
{
    public static async Task<TimeSpan> WaitAcceptingAsync(string namespaceName, IPEndPoint server, Stopwatch clock, TimeSpan timeout)
    {
        var deadline = clock.Elapsed + timeout;
        var buffer = new byte[4];
        while (true)
        {
            using (var socket = NetworkNamespaceScope.Run(namespaceName, () => new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp)))
            using (var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
            {
                try
                {
                    await socket.ConnectAsync(server, attempt.Token);
                    var read = 0;
                    while (read < buffer.Length)
                    {
                        var got = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, attempt.Token);
                        if (got == 0)
                        {
                            break;
                        }

                        read += got;
                    }

                    if (read == buffer.Length && buffer.AsSpan().SequenceEqual("INFO"u8))
                    {
                        return clock.Elapsed;
                    }
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    // Not listening yet.
                }
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"nats-server at {server} did not accept a connection within {timeout}");
            }

            await Task.Delay(10);
        }
    }
}
