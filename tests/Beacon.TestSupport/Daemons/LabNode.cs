using System.Globalization;
using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Daemons;

/// <summary>A cluster node in a BGP lab: <c>eth0</c> on the LAN and a <c>kube-lb0</c> (veth stand-in for the dummy) for routed addresses.</summary>
public sealed record LabNode(int Number, NetworkNamespace Host)
{
    public string Name => string.Create(CultureInfo.InvariantCulture, $"node{Number}");

    public string Ipv4 => string.Create(CultureInfo.InvariantCulture, $"198.18.0.1{Number}");

    public string Ipv6 => string.Create(CultureInfo.InvariantCulture, $"fd00:beac::1{Number}");
}
