using System.Buffers.Binary;
using System.Net.Sockets;
using Beacon.Networking.Native;
using Beacon.Networking.Netlink;

namespace Beacon.Networking.Packets;

/// <summary>
/// A raw AF_PACKET socket (packet(7)) bound to one interface and one EtherType: whole Ethernet frames in and
/// out. Frames this host transmits are not looped back (PACKET_IGNORE_OUTGOING).
/// </summary>
public sealed class PacketSocket : IFrameChannel
{
    private const int SolPacket = 263;
    private const int PacketAddMembership = 1;
    private const int PacketMrAllMulti = 2;
    private const int PacketIgnoreOutgoing = 23;

    private readonly Socket _socket;
    private int _receiveTimeoutMilliseconds = -1;

    private PacketSocket(Socket socket, int interfaceIndex, ushort etherType)
    {
        _socket = socket;
        InterfaceIndex = interfaceIndex;
        EtherType = etherType;
    }

    public int InterfaceIndex { get; }

    /// <summary>The EtherType received (0 for a send-only socket).</summary>
    public ushort EtherType { get; }

    /// <summary>
    /// Opens a socket on <paramref name="interfaceIndex"/> in the calling thread's namespace receiving frames of
    /// <paramref name="etherType"/>; 0 opens a send-only socket that receives nothing.
    /// </summary>
    public static PacketSocket Open(int interfaceIndex, ushort etherType, FrameFilter filter = FrameFilter.None)
    {
        Span<byte> address = stackalloc byte[20];
        address.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(address, Libc.AfPacket);
        BinaryPrimitives.WriteUInt16BigEndian(address[2..], etherType);
        BinaryPrimitives.WriteInt32LittleEndian(address[4..], interfaceIndex);
        // Protocol 0 in socket(2): nothing is received until bind(2) names the interface and EtherType, so no frame
        // from another interface can slip in first, and the filter is in place before the first frame.
        var socket = NativeSocket.OpenBound(
            Libc.AfPacket,
            Libc.SockRaw,
            0,
            address,
            fd =>
            {
                if (filter == FrameFilter.NeighborSolicitations)
                {
                    NeighborSolicitationFilter.Attach(fd);
                }
            });
        try
        {
            NativeSocket.SetInt(socket, SolPacket, PacketIgnoreOutgoing, 1);
            ReserveReceiveBuffer(socket);
            if (etherType is Packets.EtherType.Ipv6 or Packets.EtherType.All)
            {
                JoinAllMulticast(socket, interfaceIndex); // solicited-node groups reach us on NICs that filter
            }

            return new PacketSocket(socket, interfaceIndex, etherType);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens a socket on the interface named <paramref name="interfaceName"/>, optionally inside a named namespace.</summary>
    public static PacketSocket Open(string interfaceName, ushort etherType, string? namespaceName = null, FrameFilter filter = FrameFilter.None)
    {
        PacketSocket OpenHere()
        {
            using var netlink = RouteNetlinkClient.Open();
            return Open(netlink.GetRequiredLink(interfaceName).Index, etherType, filter);
        }

        return namespaceName is null ? OpenHere() : NetworkNamespaceScope.Run(namespaceName, OpenHere);
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        _ = await _socket.SendAsync(frame, SocketFlags.None, cancellationToken);

    /// <summary>Synchronous send for hot loops (a frame send never blocks for long).</summary>
    public void Send(ReadOnlySpan<byte> frame) => _ = _socket.Send(frame);

    public int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        var milliseconds = (int)Math.Max(1, timeout.TotalMilliseconds);
        if (_receiveTimeoutMilliseconds != milliseconds)
        {
            _socket.ReceiveTimeout = milliseconds; // cached: reading it back would cost a getsockopt per frame
            _receiveTimeoutMilliseconds = milliseconds;
        }

        try
        {
            return _socket.Receive(buffer);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return 0;
        }
    }

    /// <summary>Synchronous receive; throws <see cref="SocketException"/> (TimedOut) after <see cref="ReceiveTimeout"/>.</summary>
    public int Receive(Span<byte> buffer) => _socket.Receive(buffer);

    /// <summary>Timeout of <see cref="Receive"/>; zero waits forever.</summary>
    public TimeSpan ReceiveTimeout
    {
        get => TimeSpan.FromMilliseconds(_socket.ReceiveTimeout);
        set
        {
            _socket.ReceiveTimeout = (int)value.TotalMilliseconds;
            _receiveTimeoutMilliseconds = _socket.ReceiveTimeout;
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>
    /// A burst of requests (a switch flooding ARP after a failover) must queue, not drop: ask for 2 MiB, beyond
    /// rmem_max when privileged (SO_RCVBUFFORCE), else what rmem_max allows.
    /// </summary>
    private static void ReserveReceiveBuffer(Socket socket)
    {
        try
        {
            NativeSocket.SetInt(socket, Libc.SolSocket, Libc.SoRcvbufForce, 2 * 1024 * 1024);
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = 2 * 1024 * 1024;
        }
    }

    private static unsafe void JoinAllMulticast(Socket socket, int interfaceIndex)
    {
        Span<byte> request = stackalloc byte[16]; // struct packet_mreq
        request.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(request, interfaceIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(request[4..], PacketMrAllMulti);
        fixed (byte* r = request)
        {
            if (Libc.SetSockOpt((int)socket.Handle, SolPacket, PacketAddMembership, r, request.Length) != 0)
            {
                throw new SocketException(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            }
        }
    }
}
