using System.Net.Sockets;
using System.Security.Authentication;

namespace Beacon.Messaging.Nats;

/// <summary>Turns the library's nested connection exceptions into the one line an operator needs.</summary>
internal static class NatsErrorText
{
    public static string Describe(Exception ex)
    {
        var messages = new List<string>();
        for (var current = ex; current is not null; current = current.InnerException)
        {
            var text = current switch
            {
                SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
                SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } => "host not found",
                SocketException { SocketErrorCode: SocketError.TimedOut } => "connect timed out",
                AuthenticationException auth => "TLS handshake failed: " + auth.Message
                    + " (check Nats:TlsCaFile: the server certificate must be signed by that CA, or by one the system trusts)",
                _ => current.Message,
            };
            if (!messages.Contains(text, StringComparer.Ordinal))
            {
                messages.Add(text);
            }
        }

        return string.Join(": ", messages);
    }
}
