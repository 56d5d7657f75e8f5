using Beacon.NodeAgent.Domain;
using Beacon.Networking.Addresses;
using Beacon.Networking.Links;
using Beacon.Networking.Netlink;

namespace Beacon.NodeAgent.Kernel;

/// <summary>Reads the announcing interface's link state and subnets (its own addresses, not Beacon's or link-local ones).</summary>
public sealed class LinkReader(RouteNetlinkClient netlink, AddressPlumber plumber)
{
    private const byte ScopeUniverse = 0;

    public LocalLink Read(string interfaceName)
    {
        LinkInfo? link;
        IReadOnlyList<InterfaceAddress> addresses;
        try
        {
            link = netlink.GetLink(interfaceName);
            if (link is null)
            {
                return LocalLink.Missing;
            }

            addresses = netlink.ListAddresses(link.Index);
        }
        catch (NetlinkException)
        {
            return LocalLink.Missing;
        }

        var subnets = addresses
            .Where(a => a.Scope == ScopeUniverse && !plumber.IsOurs(a) && (a.Flags & AddressFlags.Tentative) == 0)
            .Select(a => NetworkPrefix.Of(a.Address, a.PrefixLength))
            .Where(s => s.PrefixLength < NetworkPrefix.MaxLength(s.BaseAddress))
            .Distinct()
            .OrderBy(s => s.BaseAddress, AddressOrder.Instance)
            .ThenBy(s => s.PrefixLength)
            .ToList();
        return new LocalLink(link.CanCarryTraffic, OperState(link.OperationalState), link.Carrier, subnets);
    }

    private static string OperState(LinkOperationalState state) => state switch
    {
        LinkOperationalState.Up => "up",
        LinkOperationalState.Down => "down",
        LinkOperationalState.LowerLayerDown => "lowerlayerdown",
        LinkOperationalState.Dormant => "dormant",
        LinkOperationalState.Testing => "testing",
        LinkOperationalState.NotPresent => "notpresent",
        _ => "unknown",
    };

    /// <summary>The interface of the IPv4 default route (for <c>--interface default</c>), from /proc/net/route.</summary>
    public static string? DefaultRouteInterface()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/net/route").Skip(1))
            {
                var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (fields.Length > 2 && fields[1] == "00000000")
                {
                    return fields[0];
                }
            }
        }
        catch (IOException)
        {
            return null;
        }

        return null;
    }
}
