using Beacon.Announcer.Modes;
using Beacon.Announcer.Service;
using Beacon.Contracts;

namespace Beacon.Announcer.Tests.Service;

/// <summary>From what the node carries plus the desired state to the mode's input.</summary>
public sealed class AnnouncementSetBuilderTests
{
    private static readonly ServiceKey Web = new("default", "web");

    [Fact]
    public void Aggregation_and_service_come_from_the_desired_state_and_membership_from_the_announcements()
    {
        var services = new Dictionary<ServiceKey, AllocationChanged>
        {
            [Web] = new(
                Web,
                [new AllocatedAddress("198.19.11.7", 32, IpFamily.IPv4, AddressPlacement.Remote, "remote", "198.19.11.0/24", 24),
                 new AllocatedAddress("198.19.11.8", 32, IpFamily.IPv4, AddressPlacement.Remote, "remote", "198.19.11.0/24", 24)],
                "remote", [], TrafficPolicy.Cluster, [], null, 1, "e1"),
        };
        var held = HeldAddresses.Empty
            .Add(new HeldAddress("198.19.11.7", null, "kube-lb0", AnnouncementRole.Member))
            .Apply(new Announcement("node1", new ServiceKey("default", "lan"), "198.18.0.50", "eth0", AnnouncementRole.Owner, "elected", DateTimeOffset.UtcNow), "node1")
            .Apply(new Announcement("node2", Web, "198.19.11.8", "kube-lb0", AnnouncementRole.Member, "elected", DateTimeOffset.UtcNow), "node1");

        var set = AnnouncementSetBuilder.Build(held, services, Desired.Communities);

        set.Addresses.Should().BeEquivalentTo(new[]
        {
            new AnnouncedAddress("default/lan", System.Net.IPAddress.Parse("198.18.0.50"), null, AddressKind.LocalOwner, "eth0", Desired.Communities),
            new AnnouncedAddress("default/web", System.Net.IPAddress.Parse("198.19.11.7"), 24, AddressKind.KubeLb0, "kube-lb0", Desired.Communities),
        }, "node2's announcement is not this node's business");
    }

    [Fact]
    public void A_withdrawn_address_leaves_the_set_even_if_the_desired_state_still_lists_it()
    {
        var held = HeldAddresses.Empty
            .Apply(new Announcement("node1", Web, "198.19.11.7", "kube-lb0", AnnouncementRole.Member, "elected", DateTimeOffset.UtcNow), "node1")
            .Apply(new Announcement("node1", Web, "198.19.11.7", "kube-lb0", AnnouncementRole.Withdrawn, "no endpoints", DateTimeOffset.UtcNow), "node1");

        AnnouncementSetBuilder.Build(held, new Dictionary<ServiceKey, AllocationChanged>(), BgpAttributes.None).Addresses.Should().BeEmpty();
    }
}
