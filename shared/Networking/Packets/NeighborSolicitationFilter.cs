using System.Net.Sockets;
using System.Runtime.InteropServices;
using Beacon.Networking.Native;

namespace Beacon.Networking.Packets;

/// <summary>
/// A classic BPF socket filter (SO_ATTACH_FILTER) for IPv6 packet sockets that passes only ICMPv6 Neighbor
/// Solicitations without extension headers, so a busy node's IPv6 traffic is not copied to the responder.
/// </summary>
internal static class NeighborSolicitationFilter
{
    private const int SoAttachFilter = 26;
    private const ushort LoadByteAbsolute = 0x30; // BPF_LD | BPF_B | BPF_ABS
    private const ushort JumpIfEqual = 0x15;      // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort Return = 0x06;           // BPF_RET | BPF_K

    /// <summary>The program: (code, jt, jf, k) per instruction; offsets count from the Ethernet header.</summary>
    internal static readonly (ushort Code, byte JumpTrue, byte JumpFalse, uint K)[] Program =
    [
        (LoadByteAbsolute, 0, 0, EtherType.HeaderLength + 6),                                           // IPv6 next header
        (JumpIfEqual, 0, 3, NeighborDiscoveryMessage.NextHeaderIcmpv6),
        (LoadByteAbsolute, 0, 0, EtherType.HeaderLength + NeighborDiscoveryMessage.Ipv6HeaderLength), // ICMPv6 type
        (JumpIfEqual, 0, 1, (uint)NeighborDiscoveryType.NeighborSolicitation),
        (Return, 0, 0, 0x40000), // accept the whole frame
        (Return, 0, 0, 0),       // drop
    ];

    public static unsafe void Attach(int fd)
    {
        var instructions = stackalloc byte[Program.Length * 8]; // struct sock_filter
        for (var i = 0; i < Program.Length; i++)
        {
            var (code, jumpTrue, jumpFalse, k) = Program[i];
            *(ushort*)(instructions + (i * 8)) = code;
            instructions[(i * 8) + 2] = jumpTrue;
            instructions[(i * 8) + 3] = jumpFalse;
            *(uint*)(instructions + (i * 8) + 4) = k;
        }

        var program = stackalloc byte[16]; // struct sock_fprog: u16 len, padding, pointer
        new Span<byte>(program, 16).Clear();
        *(ushort*)program = (ushort)Program.Length;
        *(byte**)(program + 8) = instructions;
        if (Libc.SetSockOpt(fd, Libc.SolSocket, SoAttachFilter, program, 16) != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
    }
}
