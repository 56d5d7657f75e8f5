namespace Beacon.TestSupport.Daemons;

/// <summary>A BGP neighbour as a daemon config names it: a protocol-safe name, its address and AS number.</summary>
public sealed record BgpPeer(string Name, string Address, uint Asn)
{
    public bool IsIPv6 => Address.Contains(':', StringComparison.Ordinal);
}
