using System.Net;

namespace Beacon.Networking.Addresses;

/// <summary>An address to add or refresh (RTM_NEWADDR with NLM_F_CREATE|NLM_F_REPLACE).</summary>
/// <param name="ValidLifetime">Null = forever. A finite lifetime makes the kernel remove the address when nobody refreshes it.</param>
/// <param name="PreferredLifetime">Null = same as valid. Must not exceed the valid lifetime.</param>
/// <param name="Protocol">IFA_PROTO to set (0 = none).</param>
/// <param name="Label">IFA_LABEL (IPv4 only; must start with the interface name, at most 15 bytes).</param>
/// <param name="SkipDuplicateAddressDetection">IFA_F_NODAD: IPv6 address usable at once.</param>
/// <param name="NoPrefixRoute">IFA_F_NOPREFIXROUTE: do not add the connected route for the prefix.</param>
public sealed record AddressRequest(
    int InterfaceIndex,
    IPAddress Address,
    int PrefixLength,
    TimeSpan? ValidLifetime = null,
    TimeSpan? PreferredLifetime = null,
    byte Protocol = 0,
    string? Label = null,
    bool SkipDuplicateAddressDetection = true,
    bool NoPrefixRoute = false);
