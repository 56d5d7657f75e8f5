namespace Beacon.Networking.Packets;

/// <summary>R, S and O bits of a Neighbor Advertisement (RFC 4861 section 4.4).</summary>
[Flags]
#pragma warning disable CA1711 // the RFC calls them flags
public enum NeighborAdvertisementFlags : byte
#pragma warning restore CA1711
{
    None = 0,
    Override = 0x20,
    Solicited = 0x40,
    Router = 0x80,
}
