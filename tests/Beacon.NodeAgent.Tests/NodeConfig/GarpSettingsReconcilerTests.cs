using System.Net;
using Beacon.NodeAgent.Agent;
using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Tests.Agent;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.NodeConfig;

/// <summary>An LBNodeAgent's garpConfig and address lifetime as the reconciler applies them to won addresses.</summary>
public sealed class GarpSettingsReconcilerTests : IDisposable
{
    private static readonly LocalNode Me = new("node1", "eth0", "kube-lb0", true);
    private readonly FakeAddressTable _table = new();
    private readonly RecordingNeighbours _lan = new();
    private readonly ManualTimers _time = new();
    private readonly Reconciler _reconciler;

    public GarpSettingsReconcilerTests() =>
        _reconciler = new Reconciler(Me, _table, _lan, _lan, new AgentMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())), new AddressLifetimes(TimeSpan.FromSeconds(10)), _time, NullLogger<Reconciler>.Instance);

    public void Dispose() => _reconciler.Dispose();

    private static AddressPlan Won(string address) =>
        AddressPlan.For(AddressDemand.From([Service("web", addresses: Local(address))]), new MembershipView([Node("node1")]), Me);

    [Fact]
    public void Garp_disabled_plumbs_and_publishes_the_won_address_but_sends_no_gratuitous_announcement()
    {
        _reconciler.Garp = new GarpSettings(Enabled: false, 3, TimeSpan.FromMilliseconds(500), TimeSpan.Zero);

        _reconciler.Apply(Won("198.18.0.10"), "elected", refresh: false).Should().BeTrue();

        _table.Ours.Keys.Select(p => p.Address.ToString()).Should().Equal("198.18.0.10");
        _lan.Announcements.Should().ContainSingle();
        _time.FireAll();
        _lan.Gratuitous.Should().BeEmpty();
    }

    [Fact]
    public void A_withdrawn_address_stops_the_rest_of_its_gratuitous_burst()
    {
        var lan = new RecordingNeighbours { HoldBursts = true };
        using var reconciler = new Reconciler(Me, _table, lan, lan, new AgentMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())), new AddressLifetimes(TimeSpan.FromSeconds(10)), _time, NullLogger<Reconciler>.Instance)
        {
            Garp = new GarpSettings(true, 3, TimeSpan.FromMilliseconds(100), TimeSpan.Zero),
        };
        reconciler.Apply(Won("198.18.0.10"), "elected", refresh: false);
        var burst = lan.Bursts.Should().ContainSingle().Subject;
        burst.Token.IsCancellationRequested.Should().BeFalse("the repeats go on while the address is ours");

        // A peer we had missed is heard again and wins: we give the address up a few milliseconds after taking it.
        reconciler.Apply(AddressPlan.Empty, "membership changed", refresh: false);

        _table.Ours.Should().BeEmpty();
        burst.Token.IsCancellationRequested.Should().BeTrue("our MAC must not be announced over the owner's for an address we gave up");
    }

    [Fact]
    public async Task The_initial_delay_holds_the_first_announcement_until_it_has_passed()
    {
        _reconciler.Garp = new GarpSettings(true, 3, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100));

        _reconciler.Apply(Won("198.18.0.10"), "elected", refresh: false);

        _lan.Gratuitous.Should().BeEmpty("nothing goes out before initialDelay");
        _time.DueTimes.Should().Equal(TimeSpan.FromMilliseconds(100));
        _time.FireAll();
        await _lan.WaitForGratuitousAsync(1);
        _lan.Gratuitous.Should().Equal(("eth0", IPAddress.Parse("198.18.0.10")));
    }

    [Fact]
    public void A_changed_lifetime_is_given_to_the_next_addresses_and_to_the_held_ones_on_refresh()
    {
        _reconciler.Apply(Won("198.18.0.10"), "elected", refresh: false);
        _reconciler.Lifetimes = new AddressLifetimes(TimeSpan.FromSeconds(120));

        _reconciler.Apply(Won("198.18.0.10"), "LBNodeAgent changed", refresh: true);

        _table.Ours.Values.Should().Equal((TimeSpan?)TimeSpan.FromSeconds(120));
    }
}
