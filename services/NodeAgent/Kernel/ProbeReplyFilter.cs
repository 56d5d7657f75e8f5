using System.Net;
using System.Net.Sockets;
using Beacon.Networking.Packets;

namespace Beacon.NodeAgent.Kernel;

/// <summary>
/// The kernel (BPF) filter of the takeover probe's capture: ARP replies whose sender is an address a probe is waiting
/// for, and nothing at all while no probe is waiting. A capture that admitted every ARP reply to the node would wake
/// its reader whenever the node's own kernel re-verified a neighbour, for frames no probe can use.
/// </summary>
public static class ProbeReplyFilter
{
    /// <summary>Every ARP reply; used above <see cref="ConflictFilter.MaxNamedAddresses"/>, where naming each address costs too much.</summary>
    public const string AnyReply = "arp[6:2] = 2";

    public static string For(IEnumerable<IPAddress> awaited)
    {
        ArgumentNullException.ThrowIfNull(awaited);
        var senders = awaited.Where(a => a.AddressFamily == AddressFamily.InterNetwork).Distinct().ToList();
        return senders.Count switch
        {
            0 => PcapFrameChannel.NoFrames,
            > ConflictFilter.MaxNamedAddresses => AnyReply,
            // The conflict watch's filter names IPv4 addresses as ARP senders, exactly the replies a probe waits for.
            _ => $"{AnyReply} and ({ConflictFilter.For(senders)})",
        };
    }
}
