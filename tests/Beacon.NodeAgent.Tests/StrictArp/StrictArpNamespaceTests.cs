using Beacon.NodeAgent.Agent;
using Beacon.NodeAgent.Kernel;
using Beacon.Networking;
using Beacon.TestSupport.Netns;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.NodeAgent.Tests.Arp;

/// <summary>
/// The check on a real kernel, inside a namespace the test creates: a <c>kube-ipvs0</c> link and the ARP sysctls set
/// as kube-proxy leaves them with and without strictARP. kube-proxy's link is a dummy; this kernel may lack the dummy
/// module, so a bridge stands in (the check looks at the name only).
/// </summary>
public sealed class StrictArpNamespaceTests
{
    [Fact]
    public async Task The_node_is_not_ready_while_ipvs_runs_without_strictARP_and_ready_once_it_is_set()
    {
        await using var lab = await NetLab.CreateAsync();
        var node = await lab.AddHostAsync("node");
        var lan = await lab.AddSegmentAsync("lan");
        await lan.AttachAsync(node, "eth0", "198.18.0.1/24", "fd00:beac::1/64");
        var flag = StrictArpWatch.NewFlag();
        var watch = new StrictArpWatch("eth0", new ArpSettingsReader(), flag, TimeProvider.System, NullLogger<StrictArpWatch>.Instance);
        string? Check() => NetworkNamespaceScope.Run(node.Name, watch.CheckOnce);

        await SysctlAsync(node, "net.ipv4.conf.all.arp_ignore=0", "net.ipv4.conf.all.arp_announce=0");
        Check().Should().BeNull("without kube-ipvs0 kube-proxy is not in IPVS mode");
        flag.Check().IsReady.Should().BeTrue();

        (await node.IpAsync("link", "add", "kube-ipvs0", "type", "bridge")).EnsureSuccess();
        Check().Should().Contain("kube-ipvs0").And.Contain("strictARP: true");
        flag.Check().IsReady.Should().BeFalse();
        flag.Check().Reason.Should().Contain("kubectl apply -f - -n kube-system");

        // What kube-proxy does once strictARP is true.
        await SysctlAsync(node, "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2");
        Check().Should().BeNull();
        flag.Check().IsReady.Should().BeTrue();
    }

    [Fact]
    public async Task The_reader_sees_the_namespace_of_the_calling_thread_not_the_hosts()
    {
        await using var lab = await NetLab.CreateAsync();
        var node = await lab.AddHostAsync("node");
        (await node.IpAsync("link", "add", "kube-ipvs0", "type", "bridge")).EnsureSuccess();
        await SysctlAsync(node, "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2");

        var inside = NetworkNamespaceScope.Run(node.Name, () => new ArpSettingsReader().Read("lo"));
        inside.IpvsLinkPresent.Should().BeTrue();
        inside.AllArpIgnore.Should().Be(1);
        inside.AllArpAnnounce.Should().Be(2);
    }

    private static async Task SysctlAsync(NetworkNamespace node, params string[] settings)
    {
        foreach (var setting in settings)
        {
            (await node.ExecAsync("sysctl", "-qw", setting)).EnsureSuccess();
        }
    }
}
