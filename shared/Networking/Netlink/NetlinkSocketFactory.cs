using System.Buffers.Binary;
using System.Net.Sockets;
using Beacon.Networking.Native;

namespace Beacon.Networking.Netlink;

/// <summary>Opens a bound NETLINK_ROUTE socket (sockaddr_nl with the given multicast groups), extended ACKs on.</summary>
internal static class NetlinkSocketFactory
{
    public static Socket Open(uint groups)
    {
        Span<byte> address = stackalloc byte[12];
        address.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(address, Libc.AfNetlink);
        BinaryPrimitives.WriteUInt32LittleEndian(address[8..], groups);
        var socket = NativeSocket.OpenBound(Libc.AfNetlink, Libc.SockRaw, Libc.NetlinkRoute, address);
        try
        {
            NativeSocket.SetInt(socket, Libc.SolNetlink, Libc.NetlinkExtAck, 1);
            // Notification bursts (1,000 addresses at once) must not overrun the socket.
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
