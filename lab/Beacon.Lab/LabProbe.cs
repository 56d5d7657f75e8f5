using System.Net;
using System.Text.RegularExpressions;
using Beacon.TestSupport.Netns;

namespace Beacon.Lab;

/// <summary>
/// Observes the lab from the outside, through the kernel: which node holds a layer-2 address, which next hops the
/// router has for a BGP address, and what the client gets when it connects.
/// </summary>
public sealed partial class LabProbe(LabTopology topology)
{
    /// <summary>Addresses inside the LAN subnet are served by layer 2; everything else is routed (BGP/ECMP).</summary>
    public static bool IsLayer2(string address)
    {
        var ip = IPAddress.Parse(address);
        return ip.ToString().StartsWith(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? LabTopology.LanV6Prefix : LabTopology.LanV4Prefix, StringComparison.Ordinal);
    }

    public async Task<LabObservation> ObserveAsync(LabServiceManifest service, string address, int port)
    {
        ArgumentNullException.ThrowIfNull(service);
        var layer2 = IsLayer2(address);
        var nodes = layer2 ? await OwnersAsync(address) : await NextHopNodesAsync(address);
        return new LabObservation(
            service.Key, address, port, layer2 ? "layer 2" : "BGP/ECMP", nodes, await FetchAsync(address, port),
            layer2 ? null : service.AnnouncingNodes(topology.Nodes));
    }

    /// <summary>The client's HTTP GET of ADDRESS:PORT: the backend's answer (its node name), or null.</summary>
    public async Task<string?> FetchAsync(string address, int port, double timeoutSeconds = 2)
    {
        var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
        var result = await HostCommand.RunAsync(
            "ip", ["netns", "exec", topology.Client, "curl", "-sg", "--max-time", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), $"http://{host}:{port}/"], TimeSpan.FromSeconds(10));
        var answer = result.StandardOutput.Trim();
        return result.Succeeded && answer.Length > 0 ? answer : null;
    }

    /// <summary>Nodes holding <paramref name="address"/> on their LAN interface (exactly one when healthy).</summary>
    public async Task<IReadOnlyList<string>> OwnersAsync(string address)
    {
        var owners = new List<string>();
        foreach (var node in topology.Nodes)
        {
            var shown = await HostCommand.RunAsync("ip", "-n", topology.NodeNamespace(node), "-o", "addr", "show", "dev", "eth0");
            if (shown.StandardOutput.Contains(" " + address + "/", StringComparison.Ordinal))
            {
                owners.Add(node);
            }
        }

        return owners;
    }

    /// <summary>Nodes the router's kernel route for <paramref name="address"/> points at (ECMP next hops).</summary>
    public async Task<IReadOnlyList<string>> NextHopNodesAsync(string address)
    {
        var family = address.Contains(':', StringComparison.Ordinal) ? "-6" : "-4";
        var route = await HostCommand.RunAsync("ip", "-n", topology.Router, family, "route", "show", address);
        var hops = ViaPattern().Matches(route.StandardOutput).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return topology.Nodes.Where(n => hops.Contains(LabTopology.NodeV4(n)) || hops.Contains(LabTopology.NodeV6(n))).ToList();
    }

    /// <summary>The MAC address the client's neighbour table has for <paramref name="address"/>, if any.</summary>
    public async Task<string?> ClientNeighbourMacAsync(string address)
    {
        var shown = await HostCommand.RunAsync("ip", "-n", topology.Client, "neigh", "show", address);
        var match = LladdrPattern().Match(shown.StandardOutput);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>The MAC address of a node's LAN interface.</summary>
    public async Task<string> NodeMacAsync(string node)
    {
        var shown = await HostCommand.RunCheckedAsync("ip", "-n", topology.NodeNamespace(node), "-br", "link", "show", "eth0");
        return shown.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
    }

    [GeneratedRegex(@"via (?:inet6 )?([0-9a-fA-F:.]+)")]
    private static partial Regex ViaPattern();

    [GeneratedRegex(@"lladdr ([0-9a-f:]{17})")]
    private static partial Regex LladdrPattern();
}
