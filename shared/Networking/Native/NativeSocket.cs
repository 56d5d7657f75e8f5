using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Beacon.Networking.Native;

/// <summary>
/// Creates raw sockets .NET cannot create itself (netlink) and hands them to <see cref="Socket"/>,
/// so sends, receives, timeouts and async I/O use the runtime's own engine.
/// </summary>
internal static class NativeSocket
{
    public static unsafe Socket OpenBound(int domain, int type, int protocol, ReadOnlySpan<byte> address)
    {
        var fd = Libc.Socket(domain, type | Libc.SockCloexec, protocol);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        try
        {
            fixed (byte* a = address)
            {
                if (Libc.Bind(fd, a, address.Length) != 0)
                {
                    throw new SocketException(Marshal.GetLastPInvokeError());
                }
            }

            return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        }
        catch
        {
            _ = Libc.Close(fd);
            throw;
        }
    }

    public static unsafe void SetInt(Socket socket, int level, int name, int value)
    {
        if (Libc.SetSockOpt((int)socket.Handle, level, name, &value, sizeof(int)) != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>The port id the kernel assigned to a bound netlink socket.</summary>
    public static unsafe uint NetlinkPortId(Socket socket)
    {
        Span<byte> address = stackalloc byte[12];
        var length = address.Length;
        fixed (byte* a = address)
        {
            if (Libc.GetSockName((int)socket.Handle, a, &length) != 0)
            {
                throw new SocketException(Marshal.GetLastPInvokeError());
            }
        }

        return BitConverter.ToUInt32(address[4..8]);
    }
}
