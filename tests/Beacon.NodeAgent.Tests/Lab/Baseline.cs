using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Tests.Lab;

/// <summary>The desired state the lab starts from, and who should win what.</summary>
internal static class Baseline
{
    public static readonly ServiceKey Web = new("default", "web");
    public static readonly ServiceKey Bgp = new("default", "bgp");
    public static readonly ServiceKey LocalPolicy = new("default", "local");

    public const string Web4 = "198.18.0.200/32";
    public const string Web6 = "fd00:beac::200/128";
    public const string Remote = "203.0.113.10/32";
    public const string LocalPolicyLan = "198.18.0.220/32";
    public const string LocalPolicyRemote = "203.0.113.11/32";

    /// <summary>Node-local addresses of Cluster-policy services (owned by the election among all live nodes).</summary>
    public static readonly string[] LocalAddresses = [Web4, Web6, "198.18.0.201/32", "198.18.0.202/32", "198.18.0.203/32"];

    public static AllocationChanged[] Services =>
    [
        Service(Web, TrafficPolicy.Cluster, [], Web4, Web6),
        Service(new ServiceKey("default", "spread"), TrafficPolicy.Cluster, [], "198.18.0.201/32", "198.18.0.202/32", "198.18.0.203/32"),
        Service(Bgp, TrafficPolicy.Cluster, [], Remote),
        Service(LocalPolicy, TrafficPolicy.Local, ["node2"], LocalPolicyLan, LocalPolicyRemote),
    ];

    public static AllocationChanged Service(ServiceKey key, TrafficPolicy policy, string[] ready, params string[] addresses) =>
        new(key, [.. addresses.Select(Allocated)], "lab", [new ServicePort(80, "TCP")], policy, ready, null, 0, "");

    /// <summary>Who the election picks for <paramref name="address"/> among <paramref name="nodes"/> (all on the LAN, all candidates).</summary>
    public static string Winner(string address, IEnumerable<string> nodes)
    {
        var ip = IPAddress.Parse(address.Split('/')[0]);
        var reports = nodes.Select(n => new NodeReport(n, "eth0", [IPNetwork.Parse("198.18.0.0/24"), IPNetwork.Parse("fd00:beac::/64")], true, true, "x"));
        return Election.Winner(ip, reports, _ => true)!.Node;
    }

    private static AllocatedAddress Allocated(string cidr)
    {
        var parts = cidr.Split('/');
        var v6 = parts[0].Contains(':', StringComparison.Ordinal);
        var remote = parts[0].StartsWith("203.", StringComparison.Ordinal);
        return new AllocatedAddress(
            parts[0],
            int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
            v6 ? IpFamily.IPv6 : IpFamily.IPv4,
            remote ? AddressPlacement.Remote : AddressPlacement.Local,
            remote ? "routed" : "lan",
            remote ? "203.0.113.0/24" : v6 ? "fd00:beac::/64" : "198.18.0.0/24",
            null);
    }
}
