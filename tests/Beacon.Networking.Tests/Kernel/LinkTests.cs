using System.Net;
using Beacon.Networking.Addresses;
using Beacon.Networking.Links;
using Beacon.Networking.Netlink;
using Beacon.TestSupport.Netns;

namespace Beacon.Networking.Tests.Kernel;

/// <summary>Links through rtnetlink in a namespace: kube-lb0 on a kernel without the dummy driver, up/down, notifications.</summary>
public sealed class LinkTests
{
    [Fact]
    public async Task Kube_lb0_is_created_with_a_fallback_kind_and_delivers_traffic_for_its_addresses_locally()
    {
        await using var lab = await NetLab.CreateAsync();
        var node = await lab.AddHostAsync("node");
        var client = await lab.AddHostAsync("client");
        await lab.LinkAsync(node, "eth0", client, "eth0");
        await node.IpAsync("addr", "add", "10.99.0.1/24", "dev", "eth0");
        await client.IpAsync("addr", "add", "10.99.0.2/24", "dev", "eth0");
        await node.IpAsync("-6", "addr", "add", "fd00:99::1/64", "dev", "eth0", "nodad");
        await client.IpAsync("-6", "addr", "add", "fd00:99::2/64", "dev", "eth0", "nodad");
        await client.IpAsync("route", "add", "203.0.113.0/24", "via", "10.99.0.1");
        await client.IpAsync("-6", "route", "add", "fd00:cafe::/64", "via", "fd00:99::1");
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);

        var refused = () => netlink.CreateLink("probe0", "dummy");
        refused.Should().Throw<NetlinkException>().Where(e => e.Errno == NetlinkException.EOpNotSupp, "this kernel has no dummy driver");

        var link = DummyLinkProvisioner.Ensure(netlink);
        link.Name.Should().Be("kube-lb0");
        link.Kind.Should().BeOneOf(DummyLinkProvisioner.Kinds);
        link.IsAdministrativelyUp.Should().BeTrue();
        DummyLinkProvisioner.Ensure(netlink).Index.Should().Be(link.Index, "ensuring twice keeps the existing link");

        var plumber = new AddressPlumber(netlink);
        plumber.Plumb("kube-lb0", IPAddress.Parse("203.0.113.7"), 32, TimeSpan.FromSeconds(60));
        plumber.Plumb("kube-lb0", IPAddress.Parse("fd00:cafe::7"), 128, TimeSpan.FromSeconds(60));

        (await client.ExecAsync("ping", "-c1", "-W2", "203.0.113.7")).EnsureSuccess();
        (await client.ExecAsync("ping", "-6", "-c1", "-W2", "fd00:cafe::7")).EnsureSuccess();

        netlink.DeleteLink("kube-lb0");
        netlink.GetLink("kube-lb0").Should().BeNull();
    }

    [Fact]
    public async Task Links_are_listed_with_mac_kind_and_carrier_and_can_be_set_down_and_up()
    {
        await using var lab = await NetLab.CreateAsync();
        var lan = await lab.AddSegmentAsync("lan");
        var node = await lab.AddHostAsync("node");
        var mac = await lan.AttachAsync(node, "eth0", "198.18.0.1/24");
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);

        var eth0 = netlink.ListLinks().Should().ContainSingle(l => l.Name == "eth0").Subject;
        eth0.Mac.Should().Be(MacAddress.Parse(mac));
        eth0.Kind.Should().Be("veth");
        eth0.Carrier.Should().BeTrue();
        eth0.CanCarryTraffic.Should().BeTrue();
        netlink.ListLinks().Should().Contain(l => l.Name == "lo" && (l.Flags & LinkFlags.Loopback) != 0);

        netlink.SetLinkUp("eth0", up: false);
        netlink.GetRequiredLink("eth0").CanCarryTraffic.Should().BeFalse();
        (await node.IpAsync("link", "show", "eth0")).StandardOutput.Should().Contain("state DOWN");
        netlink.SetLinkUp("eth0", up: true);
        netlink.GetRequiredLink("eth0").IsAdministrativelyUp.Should().BeTrue();
        netlink.GetLink("nosuch0").Should().BeNull();
    }

    [Fact]
    public async Task A_pulled_cable_and_a_removed_address_are_notified_within_milliseconds()
    {
        await using var lab = await NetLab.CreateAsync();
        var lan = await lab.AddSegmentAsync("lan");
        var node = await lab.AddHostAsync("node");
        await lan.AttachAsync(node, "eth0", "198.18.0.1/24");
        using var monitor = NetworkChangeMonitor.OpenInNamespace(node.Name);
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var plumber = new AddressPlumber(netlink);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var changes = monitor.ReadAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        await lan.SetPortAsync("p1", up: false); // the switch side: carrier goes away, eth0 stays admin up
        var started = DateTime.UtcNow;
        var down = await NextAsync<LinkChanged>(changes, c => c.Link.Name == "eth0" && !c.Link.Carrier);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromMilliseconds(500));
        down.Link.IsAdministrativelyUp.Should().BeTrue();
        down.Link.CanCarryTraffic.Should().BeFalse();

        plumber.Plumb("eth0", IPAddress.Parse("198.18.0.50"), 32, TimeSpan.FromSeconds(30));
        var added = await NextAsync<AddressChanged>(changes, c => c.Address.Address.Equals(IPAddress.Parse("198.18.0.50")));
        added.Removed.Should().BeFalse();
        added.Address.Protocol.Should().Be(BeaconAddressMark.Protocol);

        await node.IpAsync("addr", "del", "198.18.0.50/32", "dev", "eth0"); // drift: someone deleted our address
        var removed = await NextAsync<AddressChanged>(changes, c => c.Address.Address.Equals(IPAddress.Parse("198.18.0.50")));
        removed.Removed.Should().BeTrue();
        await changes.DisposeAsync();
    }

    [Fact]
    public async Task A_monitor_that_falls_behind_is_told_to_resynchronise_instead_of_missing_changes_silently()
    {
        await using var lab = await NetLab.CreateAsync();
        var lan = await lab.AddSegmentAsync("lan");
        var node = await lab.AddHostAsync("node");
        await lan.AttachAsync(node, "eth0", "198.18.0.1/16");
        using var monitor = NetworkChangeMonitor.OpenInNamespace(node.Name, receiveBufferBytes: 64 * 1024);
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var plumber = new AddressPlumber(netlink);

        // Nobody reads while thousands of notifications arrive: the socket buffer overflows.
        var addresses = Enumerable.Range(0, 1000).Select(i => (new IPAddress([10, 60, (byte)(i >> 8), (byte)i]), 32)).ToList();
        plumber.PlumbMany("eth0", addresses, TimeSpan.FromSeconds(60)).Should().OnlyContain(e => e == null);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var changes = monitor.ReadAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        await NextAsync<ChangesLost>(changes, _ => true);
        await changes.DisposeAsync();
    }

    private static async Task<T> NextAsync<T>(IAsyncEnumerator<NetworkChange> changes, Func<T, bool> match)
        where T : NetworkChange
    {
        while (await changes.MoveNextAsync())
        {
            if (changes.Current is T t && match(t))
            {
                return t;
            }
        }

        throw new InvalidOperationException($"no {typeof(T).Name} arrived");
    }
}
