using System.Net;
using Beacon.Contracts;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>One node of the <see cref="SimulatedCluster"/>: its name, subnet and membership scope.</summary>
internal sealed record SimulatedNode(string Name, int SubnetIndex, IPNetwork Subnet)
{
    public string Scope => MembershipScope.Of(Subnet);
}
