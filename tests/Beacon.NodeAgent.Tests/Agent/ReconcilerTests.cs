using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Agent;
using Beacon.NodeAgent.Domain;
using Beacon.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Agent;

public sealed class ReconcilerTests : IDisposable
{
    private static readonly LocalNode Me = new("node1", "eth0", "kube-lb0", true);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private readonly FakeAddressTable _table = new();
    private readonly RecordingNeighbours _lan = new();
    private readonly CollectorRegistry _metrics = Metrics.NewCustomRegistry();
    private readonly Reconciler _reconciler;

    public ReconcilerTests() =>
        _reconciler = new Reconciler(Me, _table, _lan, _lan, new AgentMetrics(Metrics.WithCustomRegistry(_metrics)), new AddressLifetimes(Lifetime), TimeProvider.System, NullLogger<Reconciler>.Instance);

    public void Dispose() => _reconciler.Dispose();

    private static AddressPlan PlanOf(MembershipView view, params AllocationChanged[] services) => AddressPlan.For(AddressDemand.From(services), view, Me);

    private static AddressPlan PlanOf(params AllocationChanged[] services) => PlanOf(new MembershipView([Node("node1")]), services);

    private static PlumbedAddress P(string address, int prefix, string dev = "eth0") => new(IPAddress.Parse(address), prefix, dev);

    [Fact]
    public async Task Winning_plumbs_with_a_finite_lifetime_announces_to_the_lan_and_publishes_the_role()
    {
        _reconciler.Apply(PlanOf(Service("web", addresses: [Local("198.18.0.10"), Remote("203.0.113.1")])), "elected", refresh: false).Should().BeTrue();

        _table.Ours.Should().BeEquivalentTo(new Dictionary<PlumbedAddress, TimeSpan?>
        {
            [P("198.18.0.10", 32)] = Lifetime,
            [P("203.0.113.1", 32, "kube-lb0")] = Lifetime,
        });
        await _lan.WaitForGratuitousAsync(1);
        _lan.Gratuitous.Should().Equal(("eth0", IPAddress.Parse("198.18.0.10")));
        _lan.Announcements.Select(a => (a.Address, a.Interface, a.Role, a.Node)).Should().BeEquivalentTo(new[]
        {
            ("198.18.0.10", "eth0", AnnouncementRole.Owner, "node1"),
            ("203.0.113.1", "kube-lb0", AnnouncementRole.Member, "node1"),
        });
        _metrics.ToPrometheusText().Should().Contain("beacon_nodeagent_addresses{role=\"owner\"} 1");
    }

    [Fact]
    public void The_first_gratuitous_announcement_of_a_won_address_is_out_when_the_pass_returns()
    {
        // Clients move to a new owner on its gratuitous ARP: it must not wait for a thread-pool thread on a busy node.
        _reconciler.Apply(PlanOf(Service("web", addresses: Local("198.18.0.10"))), "elected", refresh: false);

        _lan.Gratuitous.Should().Equal(("eth0", IPAddress.Parse("198.18.0.10")));
    }

    [Fact]
    public void Losing_removes_at_once_and_publishes_a_withdrawal_while_a_foreign_address_is_never_touched()
    {
        _table.Foreign.Add(P("198.18.0.99", 24));
        _reconciler.Apply(PlanOf(Service("web", addresses: Local("198.18.0.10"))), "elected", refresh: false);
        var lost = PlanOf(new MembershipView([Node("node1", linkUp: false), Node("node2")]), Service("web", addresses: Local("198.18.0.10")));

        _reconciler.Apply(lost, "link down", refresh: false);

        _table.Ours.Should().BeEmpty();
        _table.Foreign.Should().ContainSingle();
        _lan.Announcements.Last().Should().Match<Announcement>(a => a.Role == AnnouncementRole.Withdrawn && a.Reason == "link down");
    }

    [Fact]
    public async Task Drift_is_repaired_and_the_repaired_address_announced_again()
    {
        var plan = PlanOf(Service("web", addresses: Local("198.18.0.10")));
        _reconciler.Apply(plan, "elected", refresh: false);
        _table.Ours.Clear(); // someone ran "ip addr del"

        _reconciler.Apply(plan, "address removed", refresh: false);

        _table.Ours.Keys.Should().Equal(P("198.18.0.10", 32));
        await _lan.WaitForGratuitousAsync(2);
        _lan.Gratuitous.Should().HaveCount(2);
        _lan.Announcements.Should().ContainSingle("the role did not change, so peers hear nothing new");
    }

    [Fact]
    public void Refresh_restarts_lifetimes_of_what_is_held_and_a_quiet_pass_touches_nothing()
    {
        var plan = PlanOf(Service("web", addresses: Local("198.18.0.10")));
        _reconciler.Apply(plan, "elected", refresh: false);
        _table.Operations.Clear();

        _reconciler.Apply(plan, "tick", refresh: false);
        _table.Operations.Should().BeEmpty();

        _reconciler.Apply(plan, "refresh", refresh: true);
        _table.Operations.Should().Equal("refresh 198.18.0.10/32 dev eth0");
    }

    [Fact]
    public void Leftovers_of_an_earlier_run_that_we_do_not_win_are_removed()
    {
        _table.Ours[P("198.18.0.77", 32)] = Lifetime;

        _reconciler.Apply(PlanOf(), "startup", refresh: false);

        _table.Ours.Should().BeEmpty();
    }

    [Fact]
    public void Kernel_failures_are_counted_and_reported_and_the_next_pass_catches_up()
    {
        var plan = PlanOf(Service("web", addresses: Local("198.18.0.10")));
        _table.Fail = true;

        _reconciler.Apply(plan, "elected", refresh: false).Should().BeFalse();
        _metrics.ToPrometheusText().Should().Contain("beacon_nodeagent_plumbing_errors_total{operation=\"list\"} 1");

        _table.Fail = false;
        _reconciler.Apply(plan, "retry", refresh: false).Should().BeTrue();
        _table.Ours.Should().ContainKey(P("198.18.0.10", 32));
    }

    [Fact]
    public void A_thousand_services_arriving_or_leaving_at_once_are_one_kernel_batch_each_way()
    {
        var services = Enumerable.Range(0, 1000)
            .Select(i => Service($"web{i}", addresses: Remote($"203.0.{112 + (i / 250)}.{1 + (i % 250)}")))
            .ToArray();

        _reconciler.Apply(PlanOf(services), "desired state changed", refresh: false).Should().BeTrue();
        _table.Ours.Should().HaveCount(1000);
        _table.Batches.Should().Equal("plumb 1000");

        _reconciler.Apply(PlanOf(), "desired state changed", refresh: false).Should().BeTrue();
        _table.Ours.Should().BeEmpty();
        _table.Batches.Should().Equal("plumb 1000", "unplumb 1000");
        _lan.Announcements.Count(a => a.Role == AnnouncementRole.Withdrawn).Should().Be(1000);
    }

    [Fact]
    public async Task An_address_the_kernel_refuses_fails_the_pass_alone_and_is_not_announced_to_the_lan()
    {
        var refused = P("198.18.0.11", 32);
        _table.Refused.Add(refused);
        var plan = PlanOf(Service("web", addresses: Local("198.18.0.10")), Service("api", addresses: Local("198.18.0.11")));

        _reconciler.Apply(plan, "elected", refresh: false).Should().BeFalse();

        _table.Ours.Keys.Should().Equal(P("198.18.0.10", 32));
        await _lan.WaitForGratuitousAsync(1);
        _lan.Gratuitous.Should().Equal(("eth0", IPAddress.Parse("198.18.0.10")));
        _metrics.ToPrometheusText().Should().Contain("beacon_nodeagent_plumbing_errors_total{operation=\"add\"} 1");

        _table.Refused.Clear();
        _reconciler.Apply(plan, "retry", refresh: false).Should().BeTrue();
        _table.Ours.Should().ContainKey(refused);
    }
}
