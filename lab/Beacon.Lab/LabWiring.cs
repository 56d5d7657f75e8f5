using Beacon.TestSupport.Netns;

namespace Beacon.Lab;

/// <summary>Creates the lab's namespaces and its LAN: a bridge in its own namespace, one veth port per host.</summary>
public sealed class LabWiring(LabTopology topology)
{
    public async Task CreateAsync()
    {
        foreach (var ns in topology.AllNamespaces)
        {
            await HostCommand.RunCheckedAsync("ip", "netns", "add", ns);
            await Ip(ns, "link", "set", "lo", "up");
            await Sysctl(ns, "net.ipv6.conf.all.disable_ipv6=0");
            await Sysctl(ns, "net.ipv6.conf.default.accept_dad=0");
        }

        await Ip(topology.Switch, "link", "add", "br0", "type", "bridge");
        await Ip(topology.Switch, "link", "set", "br0", "type", "bridge", "forward_delay", "0", "stp_state", "0", "mcast_snooping", "0");
        await Ip(topology.Switch, "link", "set", "br0", "up");

        var port = 0;
        await AttachAsync(topology.Router, ++port, LabTopology.RouterV4, LabTopology.RouterV6);
        await AttachAsync(topology.Control, ++port, LabTopology.ControlV4, LabTopology.LanV6Prefix + "2");
        await AttachAsync(topology.Client, ++port, LabTopology.ClientV4, LabTopology.ClientV6);
        foreach (var node in topology.Nodes)
        {
            await AttachAsync(topology.NodeNamespace(node), ++port, LabTopology.NodeV4(node), LabTopology.NodeV6(node));
        }

        // The router forwards between the LAN and the BGP pool; no redirects, or the client would learn to bypass ECMP.
        await Sysctl(topology.Router, "net.ipv4.ip_forward=1");
        await Sysctl(topology.Router, "net.ipv6.conf.all.forwarding=1");
        await Sysctl(topology.Router, "net.ipv4.conf.all.send_redirects=0");
        await Sysctl(topology.Router, "net.ipv4.conf.eth0.send_redirects=0");
        await Sysctl(topology.Router, "net.ipv4.fib_multipath_hash_policy=1");
        foreach (var host in new[] { topology.Client, topology.Control }.Concat(topology.Nodes.Select(topology.NodeNamespace)))
        {
            await Ip(host, "route", "add", "default", "via", LabTopology.RouterV4);
            await Ip(host, "-6", "route", "add", "default", "via", LabTopology.RouterV6);
        }
    }

    private async Task AttachAsync(string host, int portNumber, string v4, string v6)
    {
        var port = "p" + portNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await HostCommand.RunCheckedAsync("ip", "link", "add", "eth0", "netns", host, "type", "veth", "peer", "name", port, "netns", topology.Switch);
        await Ip(topology.Switch, "link", "set", port, "master", "br0");
        await Ip(topology.Switch, "link", "set", port, "up");
        await Ip(host, "addr", "add", $"{v4}/{LabTopology.LanV4Length}", "dev", "eth0");
        await Ip(host, "-6", "addr", "add", $"{v6}/{LabTopology.LanV6Length}", "dev", "eth0", "nodad");
        await Ip(host, "link", "set", "eth0", "up");
    }

    private static Task<CommandResult> Ip(string ns, params string[] args) => HostCommand.RunCheckedAsync("ip", ["-n", ns, .. args]);

    private static async Task Sysctl(string ns, string setting) =>
        (await HostCommand.RunAsync("ip", ["netns", "exec", ns, "sysctl", "-qw", setting])).EnsureSuccess();
}
