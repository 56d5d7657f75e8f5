using System.Net;
using Beacon.Networking.L2;

namespace Beacon.Networking.Tests.Kernel;

/// <summary>Gratuitous ARP and unsolicited NA really move a peer's neighbour entry to the announcing node.</summary>
public sealed class AnnouncementTests
{
    private const string StaleMac = "02:00:00:00:be:ef";

    [Fact]
    public async Task Gratuitous_arp_moves_a_peers_ipv4_neighbour_entry_to_our_mac()
    {
        await using var lab = await L2Lab.CreateAsync();
        await lab.Client.IpAsync("neigh", "replace", "198.18.0.100", "lladdr", StaleMac, "dev", "eth0", "nud", "stale");
        using var announcer = AddressAnnouncer.Open("eth0", lab.Node.Name);
        announcer.Mac.ToString().Should().Be(lab.NodeMac);

        await announcer.AnnounceAsync(IPAddress.Parse("198.18.0.100"), new AnnouncementOptions { Count = 2, Interval = TimeSpan.FromMilliseconds(50) });

        var entry = await lab.WaitForClientNeighbourAsync("198.18.0.100", e => e.Contains(lab.NodeMac, StringComparison.Ordinal), TimeSpan.FromSeconds(3));
        entry.Should().Contain(lab.NodeMac).And.NotContain(StaleMac);
        announcer.Sent.Should().Be(2);
    }

    [Fact]
    public async Task Unsolicited_neighbor_advertisement_moves_a_peers_ipv6_neighbour_entry_to_our_mac()
    {
        await using var lab = await L2Lab.CreateAsync();
        await lab.Client.IpAsync("-6", "neigh", "replace", "fd00:beac::100", "lladdr", StaleMac, "dev", "eth0", "nud", "stale");
        using var announcer = AddressAnnouncer.Open("eth0", lab.Node.Name);

        await announcer.AnnounceAsync(IPAddress.Parse("fd00:beac::100"), new AnnouncementOptions { Count = 1 });

        var entry = await lab.WaitForClientNeighbourAsync("fd00:beac::100", e => e.Contains(lab.NodeMac, StringComparison.Ordinal), TimeSpan.FromSeconds(3));
        entry.Should().Contain(lab.NodeMac).And.NotContain(StaleMac);
    }
}
