using System.Net;
using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Kernel;
using Beacon.Networking.Addresses;
using Beacon.Networking.Netlink;
using Beacon.TestSupport.Netns;

namespace Beacon.NodeAgent.Tests.NodeConfig;

/// <summary>
/// The LBNodeAgent's address lifetimes as the kernel holds them, read back with <c>ip addr</c> in a namespace the test
/// creates: <c>validLifetime: 0</c> is permanent, <c>preferredLifetime</c> is applied (0 leaves the address
/// deprecated), and IPv6 addresses skip DAD (<c>nodad</c>, never <c>tentative</c>).
/// </summary>
public sealed class AddressLifetimeNamespaceTests
{
    [Fact]
    public async Task Permanent_and_preferred_lifetimes_reach_the_kernel_and_ipv6_skips_dad()
    {
        await using var lab = await NetLab.CreateAsync();
        var lan = await lab.AddSegmentAsync("lan");
        var node = await lab.AddHostAsync("node");
        await lan.AttachAsync(node, "eth0", "198.18.0.1/24", "fd00:beac::1/64");
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var table = new NetlinkAddressTable(new AddressPlumber(netlink));

        table.Plumb([new PlumbedAddress(IPAddress.Parse("198.18.0.100"), 32, "eth0"), new PlumbedAddress(IPAddress.Parse("fd00:beac::100"), 128, "eth0")],
            new AddressLifetimes(null)).Should().BeEmpty();
        table.Plumb([new PlumbedAddress(IPAddress.Parse("fd00:beac::101"), 128, "eth0")],
            new AddressLifetimes(TimeSpan.FromSeconds(300), TimeSpan.Zero)).Should().BeEmpty();

        var shown = (await node.IpAsync("addr", "show", "dev", "eth0")).StandardOutput;
        shown.Should().MatchRegex(@"inet 198\.18\.0\.100/32 [^\n]*\n\s+valid_lft forever preferred_lft forever");
        shown.Should().MatchRegex(@"inet6 fd00:beac::100/128 (?=[^\n]*nodad)[^\n]*\n\s+valid_lft forever preferred_lft forever");
        shown.Should().MatchRegex(@"inet6 fd00:beac::101/128 (?=[^\n]*deprecated)(?=[^\n]*nodad)[^\n]*\n\s+valid_lft (299|300)sec preferred_lft 0sec");
        shown.Should().NotContain("tentative");
        table.ListOurs(["eth0"]).Should().HaveCount(3, "permanent addresses still carry Beacon's mark and are removed by it");
    }
}
