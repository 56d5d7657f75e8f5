using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>From peers' successive node statuses, the addresses each one let go: exactly what it owned before and owns no longer.</summary>
public sealed class ReleasedAddressesTests
{
    private const string Self = "node-self";
    private static readonly string[] Nodes = ["node-a", "node-b", Self];
    private static readonly string[] Texts = ["198.18.0.200", "198.18.0.201", "fd00:beac::200", "FD00:BEAC:0::200", "not-an-address", ""];

    private sealed record Held(int Address, AnnouncementRole Role);

    private sealed record Generated(int Node, Held[] Holding);

    private static Gen<Generated[]> Statuses() =>
        (from node in Gen.Choose(0, Nodes.Length - 1)
         from holding in (from address in Gen.Choose(0, Texts.Length - 1)
                          from role in Gen.Elements(AnnouncementRole.Owner, AnnouncementRole.Owner, AnnouncementRole.Member)
                          select new Held(address, role)).ArrayOf()
         select new Generated(node, holding))
        .ArrayOf();

    private static NodeStatusReport Report(Generated status) =>
        new(Nodes[status.Node], [.. status.Holding.Select(h => new Announcement(Nodes[status.Node], new ServiceKey("default", "web" + h.Address), Texts[h.Address], "eth0", h.Role, "elected", DateTimeOffset.UnixEpoch))],
            DateTimeOffset.UnixEpoch);

    private static HashSet<IPAddress> Owners(Generated status) =>
        [.. status.Holding.Where(h => h.Role == AnnouncementRole.Owner && IPAddress.TryParse(Texts[h.Address], out _)).Select(h => IPAddress.Parse(Texts[h.Address]))];

    [Property]
    public Property Each_status_releases_exactly_what_its_peer_owned_before_and_owns_no_longer()
    {
        return Prop.ForAll(Statuses().ToArbitrary(), statuses =>
        {
            var released = new ReleasedAddresses(Self);
            var last = new Dictionary<int, Generated>();
            return statuses.All(status =>
            {
                var got = released.Reported(Report(status));
                var expected = Nodes[status.Node] == Self || !last.TryGetValue(status.Node, out var before)
                    ? []
                    : Owners(before).Except(Owners(status)).ToHashSet();
                last[status.Node] = status;
                return got.ToHashSet().SetEquals(expected) && got.Count == expected.Count;
            });
        });
    }

    [Fact]
    public void A_peer_that_never_owned_an_address_releases_nothing_and_one_that_only_carried_it_as_member_neither()
    {
        var released = new ReleasedAddresses(Self);
        var x = "198.18.0.200";

        released.Reported(Status("node-a", ("198.18.0.201", AnnouncementRole.Owner))).Should().BeEmpty("its first status");
        released.Reported(Status("node-a")).Select(a => a.ToString()).Should().Equal("198.18.0.201");
        released.Reported(Status("node-b", (x, AnnouncementRole.Member))).Should().BeEmpty();
        released.Reported(Status("node-b")).Should().BeEmpty("a Member carries a remote address on kube-lb0, never on the LAN");
        released.Reported(Status(Self, (x, AnnouncementRole.Owner))).Should().BeEmpty();
        released.Reported(Status(Self)).Should().BeEmpty("our own status");
    }

    [Fact]
    public void A_status_stored_before_the_start_tells_what_a_peer_held_but_never_overrides_a_live_one()
    {
        var released = new ReleasedAddresses(Self);
        released.Reported(Status("node-b", ("198.18.0.201", AnnouncementRole.Owner)));

        released.Seed([Status("node-a", ("198.18.0.200", AnnouncementRole.Owner)), Status("node-b", ("198.18.0.202", AnnouncementRole.Owner))]);

        released.Reported(Status("node-a")).Select(a => a.ToString()).Should().Equal("198.18.0.200");
        released.Reported(Status("node-b")).Select(a => a.ToString()).Should().Equal("198.18.0.201");
    }

    [Fact]
    public void A_garbled_status_costs_nothing()
    {
        var released = new ReleasedAddresses(Self);
        var garbled = new NodeStatusReport("node-a", null!, DateTimeOffset.UnixEpoch);

        released.Reported(garbled).Should().BeEmpty();
        released.Reported(new NodeStatusReport("node-a", [null!], DateTimeOffset.UnixEpoch)).Should().BeEmpty();
        released.Reported(new NodeStatusReport(null!, [], DateTimeOffset.UnixEpoch)).Should().BeEmpty();
        released.Peers.Should().Be(1);
    }

    private static NodeStatusReport Status(string node, params (string Address, AnnouncementRole Role)[] holding) =>
        new(node, [.. holding.Select(h => new Announcement(node, new ServiceKey("default", "web"), h.Address, "eth0", h.Role, "elected", DateTimeOffset.UnixEpoch))], DateTimeOffset.UnixEpoch);
}
