using System.Net;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>Test nodes on the lab LAN 198.18.0.0/24 + fd00:beac::/64 unless told otherwise.</summary>
internal static class NodeReports
{
    public static readonly IPNetwork Lan4 = IPNetwork.Parse("198.18.0.0/24");
    public static readonly IPNetwork Lan6 = IPNetwork.Parse("fd00:beac::/64");

    public static NodeReport Node(string name, bool linkUp = true, bool candidate = true, params IPNetwork[] subnets) =>
        new(name, "eth0", subnets.Length == 0 ? [Lan4, Lan6] : subnets, linkUp, candidate, "start-" + name);

    public static IPAddress Lan4Address(int i) => new([198, 18, 0, (byte)(i % 250 + 2)]);

    public static IEnumerable<IPAddress> Lan4Addresses(int count) => Enumerable.Range(0, count).Select(i => new IPAddress([198, 18, (byte)(i / 250), (byte)(i % 250 + 2)]));
}
