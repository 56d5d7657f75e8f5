using System.Globalization;
using System.Net;
using Beacon.Contracts;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>
/// 1,000 nodes in 25 subnets of 40 for the heartbeat benchmark. Subnet 0 is the lab LAN 198.18.0.0/24, where the real
/// agent (node1, index 0) lives; the others are 10.0.k.0/24. Heartbeats are encoded once per node (agents ignore sentAt).
/// </summary>
internal sealed class SimulatedCluster
{
    public SimulatedCluster(int nodes, int perSubnet)
    {
        Nodes = [.. Enumerable.Range(0, nodes).Select(i => new SimulatedNode(i == 0 ? "node1" : string.Create(CultureInfo.InvariantCulture, $"sim{i:D4}"), i / perSubnet, Subnet(i / perSubnet)))];
        Subnets = Nodes.Select(n => n.SubnetIndex).Distinct().Count();
    }

    public IReadOnlyList<SimulatedNode> Nodes { get; }

    public int Subnets { get; }

    /// <summary>The simulated peers (every node but the real agent's).</summary>
    public IEnumerable<SimulatedNode> Peers => Nodes.Skip(1);

    public static IPNetwork Subnet(int index) =>
        index == 0 ? IPNetwork.Parse("198.18.0.0/24") : new IPNetwork(new IPAddress([10, 0, (byte)index, 0]), 24);

    public static byte[] Payload(SimulatedNode node) =>
        CloudEventCodec.Encode(
            EventTypes.NodeHeartbeat,
            new NodeHeartbeat(node.Name, "eth0", [node.Subnet.ToString()], new LinkState(true, "up", true), new Dictionary<string, string> { ["zone"] = "a" }, true,
                DateTimeOffset.UtcNow, "start-" + node.Name),
            EventSources.NodeAgent(node.Name),
            node.Name);
}
