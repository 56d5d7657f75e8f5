using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Beacon.Lab;

/// <summary>
/// The lab's stand-in for a pod: answers every HTTP request on the given ports with the node's name, so the
/// client can see which node served it.
/// </summary>
public static class LabBackend
{
    public static async Task RunAsync(string nodeName, IReadOnlyList<int> ports, CancellationToken cancellationToken)
    {
        var body = Encoding.ASCII.GetBytes(nodeName + "\n");
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n")
            .Concat(body).ToArray();
        var listeners = ports.Select(port =>
        {
            var listener = new TcpListener(IPAddress.IPv6Any, port);
            listener.Server.DualMode = true;
            listener.Start(512);
            return listener;
        }).ToList();
        await Task.WhenAll(listeners.Select(l => ServeAsync(l, response, cancellationToken)));
    }

    private static async Task ServeAsync(TcpListener listener, byte[] response, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            _ = AnswerAsync(client, response);
        }
    }

    private static async Task AnswerAsync(TcpClient client, byte[] response)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[4096];
                // Read the request head (or whatever arrives first); the answer does not depend on it.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                _ = await stream.ReadAsync(buffer, timeout.Token);
                await stream.WriteAsync(response, timeout.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // A client that goes away mid-request is not the backend's problem.
            }
        }
    }
}
