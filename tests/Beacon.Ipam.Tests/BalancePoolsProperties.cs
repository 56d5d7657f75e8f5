using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

/// <summary>
/// PureLB v2's <c>balancePools</c>: a new address comes from the pool of its family with the fewest addresses in use
/// (the first written wins a tie), each family balanced on its own; without it pools fill in the order written.
/// </summary>
public sealed class BalancePoolsProperties
{
    private static ServiceGroupSpec Balanced(bool balance = true) => new()
    {
        Name = "spread",
        BalancePools = balance,
        V4Pools =
        [
            new PoolSpec("10.0.1.0/24", "10.0.1.1-10.0.1.6"),
            new PoolSpec("10.0.2.0/24", "10.0.2.1-10.0.2.6"),
            new PoolSpec("10.0.3.0/24", "10.0.3.1-10.0.3.6"),
        ],
        V6Pools = [new PoolSpec("fd00:1::/64", "fd00:1::1-fd00:1::4"), new PoolSpec("fd00:2::/64", "fd00:2::1-fd00:2::4")],
    };

    private static Dictionary<string, long> Used(AddressAllocator engine, IpFamily family) =>
        engine.Statistics().Where(s => s.Family == family).ToDictionary(s => s.Pool, s => (long)s.Used);

    /// <summary>(allocate?, service): allocate a new Service or release one of the 24 names.</summary>
    private static Arbitrary<(bool Allocate, int Service, bool Dual)[]> Steps() =>
        Arb.From(Gen.ArrayOf(
            from allocate in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            from service in Gen.Choose(0, 23)
            from dual in Gen.Elements(false, true)
            select (allocate, service, dual)));

    [Property(MaxTest = 300)]
    public Property Each_new_address_comes_from_the_least_used_pool_of_its_family_and_no_address_is_held_twice()
    {
        return Prop.ForAll(Steps(), steps =>
        {
            var engine = Fixtures.Engine(Balanced());
            foreach (var (allocate, service, dual) in steps)
            {
                var name = $"s{service}";
                if (!allocate)
                {
                    engine.Release(new ServiceKey("default", name));
                    continue;
                }

                var before = new[] { IpFamily.IPv4, IpFamily.IPv6 }.ToDictionary(f => f, f => Used(engine, f));
                var free = engine.Statistics().ToDictionary(s => s.Pool, s => s.Free);
                var held = engine.AddressesOf(new ServiceKey("default", name)).Select(a => a.Address).ToHashSet();
                var outcome = engine.Allocate(Fixtures.Service(name, policy: dual ? IpFamilyPolicy.PreferDualStack : IpFamilyPolicy.SingleStack,
                    families: dual ? [IpFamily.IPv4, IpFamily.IPv6] : [IpFamily.IPv4]));
                foreach (var added in outcome.Addresses.Where(a => !held.Contains(a.Address)))
                {
                    var family = added.Family;
                    var candidates = before[family].Where(p => free[p.Key] > 0).ToList();
                    var least = candidates.Min(p => p.Value);
                    before[family][added.Pool!].Should().Be(least, $"{added.Address} came from {added.Pool}; in use before: {string.Join(", ", before[family])}");
                }
            }

            var all = engine.Assignments().SelectMany(a => a.Value).ToList();
            all.Should().OnlyHaveUniqueItems();
            return true;
        });
    }

    [Property(MaxTest = 200)]
    public Property Allocating_only_keeps_equal_pools_within_one_address_of_each_other()
    {
        return Prop.ForAll(Arb.From(Gen.Choose(0, 18)), count =>
        {
            var engine = Fixtures.Engine(Balanced());
            for (var i = 0; i < count; i++)
            {
                engine.Allocate(Fixtures.Service($"s{i}")).Addresses.Should().ContainSingle();
            }

            var used = Used(engine, IpFamily.IPv4).Values.ToList();
            (used.Max() - used.Min()).Should().BeLessThanOrEqualTo(1);
            used.Sum().Should().Be(count);
            return true;
        });
    }

    [Fact]
    public void Ties_go_to_the_pool_written_first_and_a_full_pool_is_skipped()
    {
        var engine = Fixtures.Engine(new ServiceGroupSpec
        {
            Name = "spread",
            BalancePools = true,
            V4Pools = [new PoolSpec("10.0.1.0/24", "10.0.1.1"), new PoolSpec("10.0.2.0/24", "10.0.2.1-10.0.2.9")],
        });

        var first = Enumerable.Range(0, 4).Select(i => engine.Allocate(Fixtures.Service($"s{i}")).Ips().Single()).ToList();

        first.Should().Equal("10.0.1.1", "10.0.2.1", "10.0.2.2", "10.0.2.3");
    }

    [Fact]
    public void Without_balance_pools_the_first_pool_fills_first()
    {
        var engine = Fixtures.Engine(Balanced(balance: false));

        var first = Enumerable.Range(0, 3).Select(i => engine.Allocate(Fixtures.Service($"s{i}")).Ips().Single()).ToList();

        first.Should().Equal("10.0.1.1", "10.0.1.2", "10.0.1.3");
    }

    [Fact]
    public void A_released_address_makes_its_pool_the_least_used_again()
    {
        var engine = Fixtures.Engine(Balanced());
        var addresses = Enumerable.Range(0, 6).Select(i => engine.Allocate(Fixtures.Service($"s{i}")).Ips().Single()).ToList();
        addresses.Should().Equal("10.0.1.1", "10.0.2.1", "10.0.3.1", "10.0.1.2", "10.0.2.2", "10.0.3.2");

        engine.Release(new ServiceKey("default", "s4"));

        engine.Allocate(Fixtures.Service("new")).Ips().Should().Equal("10.0.2.2");
    }
}
