using System.Net;
using Beacon.Networking.Addresses;
using Beacon.Networking.Netlink;
using Beacon.TestSupport.Netns;

namespace Beacon.Networking.Tests.Kernel;

/// <summary>Beacon's addresses on a real interface in a namespace: lifetimes, marks, refresh, foreign ones left alone.</summary>
public sealed class AddressPlumbingTests
{
    private static readonly IPAddress Service4 = IPAddress.Parse("198.18.0.100");
    private static readonly IPAddress Service6 = IPAddress.Parse("fd00:beac::100");

    [Fact]
    public async Task Plumbed_addresses_carry_a_finite_lifetime_and_our_protocol_mark()
    {
        await using var lab = await NetLab.CreateAsync();
        var (node, _) = await NodeOnLanAsync(lab);
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var plumber = new AddressPlumber(netlink);

        plumber.Marking.Should().Be(AddressMarking.Protocol, "this kernel (6.x) supports IFA_PROTO");
        plumber.Plumb("eth0", Service4, 32, TimeSpan.FromSeconds(30));
        plumber.Plumb("eth0", Service6, 128, TimeSpan.FromSeconds(30));

        // iproute2 6.1 here does not print IFA_PROTO; the lifetime is checked with ip, the mark through our decoder.
        var shown = (await node.IpAsync("-d", "addr", "show", "dev", "eth0")).StandardOutput;
        shown.Should().MatchRegex(@"inet 198\.18\.0\.100/32 [^\n]*dynamic[^\n]*\n\s+valid_lft (29|30)sec preferred_lft (29|30)sec");
        shown.Should().MatchRegex(@"inet6 fd00:beac::100/128 [^\n]*nodad[^\n]*\n\s+valid_lft (29|30)sec");
        var ours = plumber.ListOurs("eth0");
        ours.Select(a => a.Address).Should().BeEquivalentTo([Service4, Service6]);
        ours.Should().OnlyContain(a => a.Protocol == BeaconAddressMark.Protocol && a.Lifetime.Valid <= TimeSpan.FromSeconds(30));
        netlink.ListAddresses().Where(a => !ours.Contains(a)).Should().NotContain(a => a.Protocol == BeaconAddressMark.Protocol);
    }

    [Fact]
    public async Task Label_marking_is_used_when_the_kernel_lacks_address_protocols()
    {
        await using var lab = await NetLab.CreateAsync();
        var (node, _) = await NodeOnLanAsync(lab);
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var plumber = new AddressPlumber(netlink, AddressMarking.Label);
        await node.IpAsync("addr", "add", "198.18.0.200/32", "dev", "eth0", "label", "eth0:ops");

        plumber.Plumb("eth0", Service4, 32, TimeSpan.FromSeconds(30));
        plumber.Plumb("eth0", Service6, 128, TimeSpan.FromSeconds(30));

        (await node.IpAsync("addr", "show", "dev", "eth0")).StandardOutput.Should().MatchRegex(@"inet 198\.18\.0\.100/32 [^\n]*eth0:bcn");
        plumber.ListOurs("eth0").Select(a => a.Address).Should().BeEquivalentTo([Service4, Service6]);
        plumber.RemoveAllOurs("eth0").Should().Be(2);
        var left = (await node.IpAsync("addr", "show", "dev", "eth0")).StandardOutput;
        left.Should().Contain("198.18.0.200/32").And.Contain("198.18.0.1/24").And.NotContain("198.18.0.100");
    }

    [Fact]
    public async Task Refreshing_restarts_the_lifetime_instead_of_failing_or_duplicating()
    {
        await using var lab = await NetLab.CreateAsync();
        var (node, _) = await NodeOnLanAsync(lab);
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var plumber = new AddressPlumber(netlink);

        plumber.Plumb("eth0", Service4, 32, TimeSpan.FromSeconds(10));
        plumber.Plumb("eth0", Service4, 32, TimeSpan.FromSeconds(600));

        var ours = plumber.ListOurs("eth0").Should().ContainSingle().Subject;
        ours.Lifetime.Valid.Should().BeGreaterThan(TimeSpan.FromSeconds(590));
        (await node.IpAsync("-d", "addr", "show", "dev", "eth0")).StandardOutput.Should().MatchRegex(@"198\.18\.0\.100/32[^\n]*\n\s+valid_lft (59\d|600)sec");
    }

    [Fact]
    public async Task Foreign_addresses_on_the_same_interface_survive_removing_all_of_ours()
    {
        await using var lab = await NetLab.CreateAsync();
        var (node, _) = await NodeOnLanAsync(lab);
        await node.IpAsync("addr", "add", "198.18.0.201/32", "dev", "eth0");
        await node.IpAsync("-6", "addr", "add", "fd00:beac::201/128", "dev", "eth0", "nodad");
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var plumber = new AddressPlumber(netlink);
        plumber.Plumb("eth0", Service4, 32, TimeSpan.FromSeconds(30));
        plumber.Plumb("eth0", Service6, 128, TimeSpan.FromSeconds(30));

        plumber.ListOurs().Select(a => a.Address).Should().BeEquivalentTo([Service4, Service6], "foreign addresses are never listed as ours");
        plumber.Unplumb("eth0", IPAddress.Parse("198.18.0.201"), 32).Should().BeFalse("a foreign address is not ours to remove");
        plumber.RemoveAllOurs().Should().Be(2);

        var left = (await node.IpAsync("addr", "show", "dev", "eth0")).StandardOutput;
        left.Should().Contain("198.18.0.201/32").And.Contain("fd00:beac::201/128").And.Contain("198.18.0.1/24").And.Contain("fd00:beac::1/64");
        left.Should().NotContain("198.18.0.100").And.NotContain("fd00:beac::100");
    }

    [Fact]
    public async Task An_address_nobody_refreshes_expires_by_itself()
    {
        await using var lab = await NetLab.CreateAsync();
        var (node, _) = await NodeOnLanAsync(lab);
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var plumber = new AddressPlumber(netlink);

        plumber.Plumb("eth0", Service4, 32, TimeSpan.FromSeconds(2));
        plumber.Plumb("eth0", Service6, 128, TimeSpan.FromSeconds(2));
        plumber.ListOurs("eth0").Should().HaveCount(2);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (plumber.ListOurs("eth0").Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        plumber.ListOurs("eth0").Should().BeEmpty("the kernel removes addresses whose valid lifetime ran out");
        (await node.IpAsync("addr", "show", "dev", "eth0")).StandardOutput.Should().Contain("198.18.0.1/24");
    }

    [Fact]
    public async Task Kernel_errors_name_the_operation_address_and_interface()
    {
        await using var lab = await NetLab.CreateAsync();
        var (node, _) = await NodeOnLanAsync(lab);
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);

        var act = () => netlink.AddOrReplaceAddress(new AddressRequest(9999, Service4, 32, TimeSpan.FromSeconds(5)));
        act.Should().Throw<NetlinkException>().Where(e => e.Errno == NetlinkException.ENoDev && e.Message.Contains("198.18.0.100/32") && e.Message.Contains("9999"));
        var plumber = new AddressPlumber(netlink);
        var missing = () => plumber.Plumb("nosuch0", Service4, 32, TimeSpan.FromSeconds(5));
        missing.Should().Throw<NetlinkException>().WithMessage("*nosuch0*");
        var bad = () => netlink.AddOrReplaceAddress(new AddressRequest(netlink.GetRequiredLink("eth0").Index, Service4, 40));
        bad.Should().Throw<NetlinkException>().Where(e => e.Errno == NetlinkException.EInval);
    }

    [Fact]
    public async Task Batched_plumbing_reports_each_failure_and_plumbs_the_rest()
    {
        await using var lab = await NetLab.CreateAsync();
        var (node, _) = await NodeOnLanAsync(lab);
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var plumber = new AddressPlumber(netlink);
        var addresses = Enumerable.Range(1, 150).Select(i => (new IPAddress([10, 50, 0, (byte)i]), 32)).ToList();
        addresses[70] = (IPAddress.Parse("10.50.1.70"), 33); // impossible prefix length

        var results = plumber.PlumbMany("eth0", addresses, TimeSpan.FromSeconds(60));

        results.Should().HaveCount(150);
        results.Where(e => e is not null).Should().ContainSingle()
            .Which.Should().Match<NetlinkException>(e => e.Errno == NetlinkException.EInval && e.Message.Contains("10.50.1.70/33") && e.Message.Contains("eth0"));
        plumber.ListOurs("eth0").Should().HaveCount(149);
        plumber.UnplumbMany("eth0", addresses).Should().Be(149);
        plumber.ListOurs("eth0").Should().BeEmpty();
    }

    [Fact]
    public async Task Plumbing_survives_the_interface_being_recreated_under_a_new_index()
    {
        await using var lab = await NetLab.CreateAsync();
        var node = await lab.AddHostAsync("node");
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var plumber = new AddressPlumber(netlink);
        var first = Beacon.Networking.Links.DummyLinkProvisioner.Ensure(netlink);
        plumber.Plumb("kube-lb0", Service4, 32, TimeSpan.FromSeconds(30));

        netlink.DeleteLink("kube-lb0");
        var second = Beacon.Networking.Links.DummyLinkProvisioner.Ensure(netlink);
        plumber.Plumb("kube-lb0", Service4, 32, TimeSpan.FromSeconds(30));

        second.Index.Should().NotBe(first.Index);
        plumber.ListOurs("kube-lb0").Should().ContainSingle().Which.InterfaceIndex.Should().Be(second.Index);
    }

    internal static async Task<(NetworkNamespace Node, LanSegment Lan)> NodeOnLanAsync(NetLab lab)
    {
        var lan = await lab.AddSegmentAsync("lan");
        var node = await lab.AddHostAsync("node");
        await lan.AttachAsync(node, "eth0", "198.18.0.1/24", "fd00:beac::1/64");
        return (node, lan);
    }
}
