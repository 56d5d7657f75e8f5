using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.NodeAgent.Tests.Domain.Desired;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// The agent keeps its demand incrementally across desired-state views; it must always equal the demand computed from
/// scratch, whatever the sequence of views (shared addresses, Local policy, bad addresses, Services coming and going).
/// </summary>
public sealed class AddressDemandIndexTests
{
    private static readonly string[] Nodes = ["node1", "node2", "node3"];

    /// <summary>A Service from a small pool of names and addresses, so views share, replace and drop them.</summary>
    private static readonly Gen<AllocationChanged> ServiceGen =
        from name in Gen.Choose(0, 11)
        from count in Gen.Choose(0, 3)
        from addresses in Gen.ArrayOf(
            from a in Gen.Choose(0, 9)
            from remote in Gen.Elements(true, false)
            from prefix in Gen.Elements(32, 32, 24, 40)
            from v6 in Gen.Elements(false, false, true)
            select v6 ? new AllocatedAddress($"fd00::{a}", prefix == 40 ? 129 : 128, IpFamily.IPv6, remote ? AddressPlacement.Remote : AddressPlacement.Local, "p", "fd00::/64", null)
                 : a == 9 ? new AllocatedAddress("not-an-address", prefix, IpFamily.IPv4, AddressPlacement.Local, "p", "198.18.0.0/24", null)
                 : new AllocatedAddress($"198.18.0.{a}", prefix, IpFamily.IPv4, remote ? AddressPlacement.Remote : AddressPlacement.Local, "p", "198.18.0.0/24", null),
            count)
        from local in Gen.Elements(false, true)
        from readyMask in Gen.Choose(0, 7)
        select Service($"s{name:D2}", local ? TrafficPolicy.Local : TrafficPolicy.Cluster,
            [.. Nodes.Where((_, i) => (readyMask & (1 << i)) != 0)], addresses);

    /// <summary>Each next view keeps some Services of the one before (the same objects, as the replica does) and adds or replaces others.</summary>
    private static readonly Gen<List<List<AllocationChanged>>> Views =
        from steps in Gen.Choose(1, 8)
        from fresh in Gen.ArrayOf(Gen.ListOf(ServiceGen), steps)
        from keepMasks in Gen.ArrayOf(Gen.Choose(0, 4095), steps)
        select Chain(fresh, keepMasks);

    private static List<List<AllocationChanged>> Chain(IReadOnlyList<IList<AllocationChanged>> fresh, int[] keepMasks)
    {
        var views = new List<List<AllocationChanged>>();
        var current = new List<AllocationChanged>();
        for (var i = 0; i < fresh.Count; i++)
        {
            var kept = current.Where((_, j) => (keepMasks[i] & (1 << (j % 12))) != 0);
            // Keys sorted as the replica's view is; a key listed twice keeps its first entry (as a dictionary would not allow).
            current = [.. fresh[i].Concat(kept).GroupBy(s => s.Service).Select(g => g.First()).OrderBy(s => s.Service)];
            views.Add(current);
        }

        return views;
    }

    private static string Describe(IEnumerable<AddressDemand> demands) => string.Join("; ", demands.Select(d =>
        $"{d.Address}/{d.PrefixLength} {d.Placement} [{string.Join(",", d.Services)}] ready={(d.ReadyNodesUnderLocal is null ? "-" : string.Join(",", d.ReadyNodesUnderLocal.Order(StringComparer.Ordinal)))} l2={d.Layer2?.Count}"));

    [Property]
    public Property After_every_view_the_incremental_demand_equals_the_demand_computed_from_scratch() =>
        Prop.ForAll(Views.ToArbitrary(), views =>
        {
            var index = new AddressDemandIndex();
            return views.All(view => Describe(index.Update(view)) == Describe(AddressDemand.From(view)));
        });

    [Fact]
    public void A_view_adding_one_service_to_a_thousand_resolves_only_its_address_and_keeps_the_other_demands()
    {
        var thousand = Enumerable.Range(0, 1000).Select(i => Service($"s{i:D4}", addresses: [Remote($"198.18.{112 + (i / 250)}.{1 + (i % 250)}")])).ToList();
        var index = new AddressDemandIndex();
        var before = index.Update(thousand);

        var after = index.Update([.. thousand, Service("s1000", addresses: [Remote("198.18.120.1")])]);

        index.LastResolved.Should().Be(1);
        after.Should().HaveCount(1001);
        after.Where(d => d.Services[0].Name != "s1000").Should().Equal(before, (a, b) => ReferenceEquals(a, b), "unchanged demands are the same objects");
    }

    [Fact]
    public void A_service_that_leaves_a_shared_address_leaves_it_to_the_other_and_the_last_one_removes_it()
    {
        var index = new AddressDemandIndex();
        var web = Service("web", addresses: [Local("198.18.0.10")]);
        var api = Service("api", addresses: [Local("198.18.0.10")]);
        index.Update([api, web]).Single().Services.Should().Equal(new ServiceKey("default", "api"), new ServiceKey("default", "web"));

        index.Update([web]).Single().Services.Should().Equal(new ServiceKey("default", "web"));
        index.Update([]).Should().BeEmpty();
    }
}
