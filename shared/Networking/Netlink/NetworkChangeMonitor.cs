using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Beacon.Networking.Netlink;

/// <summary>
/// Subscribes to link and address notifications (RTMGRP_LINK, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR) and
/// exposes them as an async stream, so a link going down is seen within milliseconds. Open it in the namespace
/// to watch (see <see cref="OpenInNamespace"/>).
/// </summary>
public sealed class NetworkChangeMonitor : IDisposable
{
    private readonly Socket _socket;

    private NetworkChangeMonitor(Socket socket) => _socket = socket;

    /// <summary>Garbage datagrams that could not be framed (counted, skipped).</summary>
    public long Malformed { get; private set; }

    public const int DefaultReceiveBufferBytes = 4 * 1024 * 1024;

    /// <param name="receiveBufferBytes">Socket buffer for bursts (capped by net.core.rmem_max); overflow yields <see cref="ChangesLost"/>.</param>
    public static NetworkChangeMonitor Open(int receiveBufferBytes = DefaultReceiveBufferBytes)
    {
        var socket = NetlinkSocketFactory.Open(NetlinkConstants.GroupLink | NetlinkConstants.GroupIpv4Address | NetlinkConstants.GroupIpv6Address);
        socket.ReceiveBufferSize = receiveBufferBytes;
        return new NetworkChangeMonitor(socket);
    }

    public static NetworkChangeMonitor OpenInNamespace(string namespaceName, int receiveBufferBytes = DefaultReceiveBufferBytes) =>
        NetworkNamespaceScope.Run(namespaceName, () => Open(receiveBufferBytes));

    /// <summary>Changes as they arrive, until <paramref name="cancellationToken"/> fires. One reader at a time.</summary>
    public async IAsyncEnumerable<NetworkChange> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[256 * 1024];
        var messages = new List<NetlinkMessage>();
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            var lost = false;
            try
            {
                received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                received = 0;
                lost = true;
            }

            if (lost)
            {
                yield return new ChangesLost();
                continue;
            }

            messages.Clear();
            if (!NetlinkMessage.TryParseAll(buffer.AsMemory(0, received), messages))
            {
                Malformed++;
            }

            foreach (var message in messages)
            {
                var change = Decode(message with { Payload = message.Payload.ToArray() });
                if (change is not null)
                {
                    yield return change;
                }
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    internal static NetworkChange? Decode(NetlinkMessage message) => message.Type switch
    {
        NetlinkConstants.NewLink or NetlinkConstants.DeleteLink when RtnetlinkCodec.DecodeLink(message) is { } link =>
            new LinkChanged(link, message.Type == NetlinkConstants.DeleteLink),
        NetlinkConstants.NewAddress or NetlinkConstants.DeleteAddress when RtnetlinkCodec.DecodeAddress(message) is { } address =>
            new AddressChanged(address, message.Type == NetlinkConstants.DeleteAddress),
        NetlinkConstants.MessageOverrun => new ChangesLost(),
        _ => null,
    };
}
