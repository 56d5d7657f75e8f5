using System.Net;

namespace Beacon.Networking.Addresses;

/// <summary>One address on an interface as the kernel reports it (RTM_NEWADDR).</summary>
/// <param name="Protocol">IFA_PROTO: who added it (0 unspecified; Beacon uses <see cref="BeaconAddressMark.Protocol"/>).</param>
/// <param name="Label">IFA_LABEL (IPv4 only), e.g. "eth0" or "eth0:bcn".</param>
public sealed record InterfaceAddress(
    int InterfaceIndex,
    IPAddress Address,
    int PrefixLength,
    AddressFlags Flags,
    byte Scope,
    string? Label,
    byte Protocol,
    AddressLifetime Lifetime)
{
    public override string ToString() => $"{Address}/{PrefixLength} (if {InterfaceIndex}, proto {Protocol}, label {Label})";
}
