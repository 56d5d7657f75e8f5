namespace Beacon.Networking.Links;

/// <summary>One network interface as the kernel reports it (RTM_NEWLINK).</summary>
/// <param name="Kind">IFLA_INFO_KIND ("veth", "bridge", "dummy"…); null for physical NICs and loopback.</param>
/// <param name="Carrier">IFLA_CARRIER when present, else derived from IFF_LOWER_UP.</param>
public sealed record LinkInfo(
    int Index,
    string Name,
    MacAddress? Mac,
    LinkFlags Flags,
    LinkOperationalState OperationalState,
    bool Carrier,
    string? Kind,
    int Mtu)
{
    public bool IsAdministrativelyUp => (Flags & LinkFlags.Up) != 0;

    /// <summary>Admin up and carrier: frames can flow. Unknown operstate (dummy, ifb, loopback) counts as up.</summary>
    public bool CanCarryTraffic => IsAdministrativelyUp && Carrier &&
        OperationalState is LinkOperationalState.Up or LinkOperationalState.Unknown;
}
