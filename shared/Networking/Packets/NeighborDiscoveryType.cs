namespace Beacon.Networking.Packets;

/// <summary>The two ICMPv6 types of address resolution (RFC 4861 section 4.3, 4.4).</summary>
public enum NeighborDiscoveryType : byte
{
    NeighborSolicitation = 135,
    NeighborAdvertisement = 136,
}
