using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class PlumbingDiffTests
{
    private static readonly LocalNode Me = new("node1", "eth0", "kube-lb0", true);

    private static PlumbedAddress P(string address, int prefix, string dev = "eth0") => new(IPAddress.Parse(address), prefix, dev);

    private static AddressPlan PlanOf(params AllocationChanged[] services) =>
        AddressPlan.For(AddressDemand.From(services), new MembershipView([Node("node1")]), Me);

    [Fact]
    public void Adds_what_is_missing_removes_what_is_ours_but_unplanned_and_keeps_the_rest()
    {
        var plan = PlanOf(Service("a", addresses: [Local("198.18.0.10"), Local("198.18.0.11"), Remote("203.0.113.1")]));
        var plumbed = new[] { P("198.18.0.11", 32), P("198.18.0.12", 32), P("203.0.113.1", 32, "kube-lb0") };

        var diff = PlumbingDiff.Between(plan, plumbed);

        diff.Add.Select(a => a.Plumbing).Should().Equal(P("198.18.0.10", 32));
        diff.Remove.Should().Equal(P("198.18.0.12", 32));
        diff.Keep.Select(a => a.Plumbing).Should().BeEquivalentTo([P("198.18.0.11", 32), P("203.0.113.1", 32, "kube-lb0")]);
        diff.ChangesAnything.Should().BeTrue();
    }

    [Fact]
    public void A_prefix_change_replaces_the_address()
    {
        var plan = PlanOf(Service("a", addresses: Local("198.18.0.10") with { PrefixLength = 24 }));

        var diff = PlumbingDiff.Between(plan, [P("198.18.0.10", 32)]);

        diff.Remove.Should().Equal(P("198.18.0.10", 32));
        diff.Add.Select(a => a.Plumbing).Should().Equal(P("198.18.0.10", 24));
    }

    [Fact]
    public void In_sync_changes_nothing()
    {
        var plan = PlanOf(Service("a", addresses: Local("198.18.0.10")));

        PlumbingDiff.Between(plan, [P("198.18.0.10", 32)]).ChangesAnything.Should().BeFalse();
    }

    [Fact]
    public void Announcement_changes_report_new_roles_and_withdrawals_once()
    {
        var before = PlanOf(Service("a", addresses: Local("198.18.0.10")), Service("b", addresses: Remote("203.0.113.1")));
        var after = PlanOf(Service("b", addresses: Remote("203.0.113.1")), Service("c", addresses: Local("198.18.0.20")));

        var changes = AnnouncementChange.Between(before, after);

        changes.Should().BeEquivalentTo(new[]
        {
            new AnnouncementChange(new ServiceKey("default", "c"), P("198.18.0.20", 32), AnnouncementRole.Owner),
            new AnnouncementChange(new ServiceKey("default", "a"), P("198.18.0.10", 32), AnnouncementRole.Withdrawn),
        });
        AnnouncementChange.Between(after, after).Should().BeEmpty();
    }
}
