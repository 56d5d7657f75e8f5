namespace Beacon.Announcer;

/// <summary>How an Announcer makes addresses reachable.</summary>
public enum AnnouncerMode
{
    /// <summary>Answer ARP (IPv4) and NDP (IPv6) for addresses this node owns.</summary>
    L2,

    /// <summary>Hand routes to BIRD 2 through a generated include file and its control socket.</summary>
    Bird,

    /// <summary>Hand routes to FRR through vtysh.</summary>
    Frr,

    /// <summary>Hand routes to GoBGP through its CLI.</summary>
    Gobgp,
}
