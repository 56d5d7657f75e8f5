using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Agent;
using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Agent;

/// <summary>What the reconciler tells the conflict watch: exactly the node-local addresses it owns, and a lost one before it goes.</summary>
public sealed class ReconcilerOwnedAddressesTests : IDisposable
{
    private static readonly LocalNode Me = new("node1", "eth0", "kube-lb0", true);
    private readonly FakeAddressTable _table = new();
    private readonly RecordingNeighbours _lan = new();
    private readonly RecordingOwned _owned;
    private readonly Reconciler _reconciler;

    public ReconcilerOwnedAddressesTests()
    {
        _owned = new RecordingOwned(_table);
        _reconciler = new Reconciler(Me, _table, _lan, _lan, new AgentMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())),
            new AddressLifetimes(TimeSpan.FromSeconds(10)), TimeProvider.System, NullLogger<Reconciler>.Instance, _owned);
    }

    public void Dispose() => _reconciler.Dispose();

    private static AddressPlan PlanOf(MembershipView view, params AllocationChanged[] services) => AddressPlan.For(AddressDemand.From(services), view, Me);

    private static PlumbedAddress P(string address) => new(IPAddress.Parse(address), 32, "eth0");

    [Fact]
    public void Owned_local_addresses_are_told_once_plumbed_and_remote_ones_never()
    {
        _reconciler.Apply(PlanOf(new MembershipView([Node("node1")]), Service("web", addresses: [Local("198.18.0.10"), Remote("203.0.113.1")])), "elected", refresh: false);
        _reconciler.Apply(PlanOf(new MembershipView([Node("node1")]), Service("web", addresses: [Local("198.18.0.10"), Remote("203.0.113.1")])), "refresh", refresh: true);

        _owned.Told.Should().ContainSingle().Which.Owned.Should().BeEquivalentTo([P("198.18.0.10")]);
        _owned.Told[0].PlumbedThen.Should().BeTrue("the watch starts on an address once it is on the interface");
    }

    [Fact]
    public void A_lost_address_stops_being_defended_before_it_is_removed()
    {
        var web = Service("web", addresses: [Local("198.18.0.10")]);
        _reconciler.Apply(PlanOf(new MembershipView([Node("node1")]), web), "elected", refresh: false);
        _reconciler.Apply(PlanOf(new MembershipView([Node("node1", candidate: false), Node("node2")]), web), "lost", refresh: false);

        _owned.Told.Should().HaveCount(2);
        _owned.Told[1].Owned.Should().BeEmpty();
        _owned.Told[1].PlumbedThen.Should().BeTrue("the watch is told before the address is removed");
        _table.Ours.Should().BeEmpty();
    }

    [Fact]
    public void An_address_the_kernel_refused_is_not_defended()
    {
        _table.Refused.Add(P("198.18.0.10"));
        _reconciler.Apply(PlanOf(new MembershipView([Node("node1")]), Service("web", addresses: [Local("198.18.0.10")])), "elected", refresh: false);

        _owned.Told.Should().BeEmpty();
    }

    private sealed class RecordingOwned(FakeAddressTable table) : IOwnedAddresses
    {
        public List<(IReadOnlyCollection<PlumbedAddress> Owned, bool PlumbedThen)> Told { get; } = [];

        public void Owned(IReadOnlyCollection<PlumbedAddress> owned) => Told.Add(([.. owned], table.Ours.ContainsKey(P("198.18.0.10"))));
    }
}
