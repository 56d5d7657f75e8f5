using System.Net;

namespace Beacon.Announcer.Modes.Routing;

/// <summary>One route a routing mode originates: a host route or an aggregate covering several addresses.</summary>
/// <param name="Interface">Where the covered addresses live; BIRD's static route points at it.</param>
/// <param name="Services">The Services whose addresses the route covers, sorted (for logs).</param>
public sealed record AnnouncedRoute(IPNetwork Prefix, string Interface, BgpAttributes Attributes, IReadOnlyList<string> Services)
{
    public bool IsIPv6 => Prefix.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    public bool Equals(AnnouncedRoute? other) =>
        other is not null
        && Prefix.Equals(other.Prefix)
        && string.Equals(Interface, other.Interface, StringComparison.Ordinal)
        && Attributes.Equals(other.Attributes)
        && Services.SequenceEqual(other.Services, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Prefix, Interface, Attributes);
}
