namespace Beacon.Networking.Packets;

/// <summary>A kernel-side filter on what a packet socket receives.</summary>
public enum FrameFilter
{
    /// <summary>Every frame of the bound EtherType.</summary>
    None,

    /// <summary>Only ICMPv6 Neighbor Solicitations (for an IPv6 socket): the l2 responder's diet.</summary>
    NeighborSolicitations,
}
