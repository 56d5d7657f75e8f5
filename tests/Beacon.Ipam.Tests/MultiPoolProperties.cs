using System.Net;
using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

/// <summary>
/// PureLB v2's <c>multiPool</c>: a Service gets one address from every pool of each family it asks for (a full pool is
/// skipped), with the engine's invariants kept through allocations, releases, restarts and the group switching
/// multiPool on and off.
/// </summary>
public sealed class MultiPoolProperties
{
    private static ServiceGroupSpec Segments(bool multiPool = true) => new()
    {
        Name = "segments",
        MultiPool = multiPool,
        V4Pools =
        [
            new PoolSpec("10.0.1.0/24", "10.0.1.1-10.0.1.5"),
            new PoolSpec("10.0.2.0/24", "10.0.2.1-10.0.2.3"),
            new PoolSpec("10.0.3.0/24", "10.0.3.1-10.0.3.8"),
        ],
        V6Pools = [new PoolSpec("fd00:1::/64", "fd00:1::1-fd00:1::4"), new PoolSpec("fd00:2::/64", "fd00:2::1-fd00:2::2")],
    };

    private enum Step
    {
        Allocate,
        Release,
        Toggle,
        Restart,
    }

    private static Arbitrary<(Step Step, int Service, bool Dual)[]> Steps() =>
        Arb.From(Gen.ArrayOf(
            from step in Gen.Frequency((6, Gen.Constant(Step.Allocate)), (2, Gen.Constant(Step.Release)), (1, Gen.Constant(Step.Toggle)), (1, Gen.Constant(Step.Restart)))
            from service in Gen.Choose(0, 11)
            from dual in Gen.Elements(false, true)
            select (step, service, dual)));

    private static ServiceRequest Request(int service, bool dual) =>
        Fixtures.Service($"s{service}", policy: dual ? IpFamilyPolicy.PreferDualStack : IpFamilyPolicy.SingleStack,
            families: dual ? [IpFamily.IPv4, IpFamily.IPv6] : [IpFamily.IPv4]);

    [Property(MaxTest = 300)]
    public Property Every_pool_with_room_gives_one_address_no_address_is_held_twice_and_restarts_and_toggles_move_nothing_valid()
    {
        return Prop.ForAll(Steps(), steps =>
        {
            var multiPool = true;
            var engine = Fixtures.Engine(Segments(multiPool));
            var requests = new Dictionary<int, ServiceRequest>();
            foreach (var (step, service, dual) in steps)
            {
                switch (step)
                {
                    case Step.Allocate:
                    {
                        var request = requests[service] = Request(service, dual);
                        var before = engine.AddressesOf(request.Key).Select(a => a.Address).ToList();
                        var outcome = engine.Allocate(request);
                        if (outcome.Status == AllocationStatus.Allocated)
                        {
                            var kept = before.Where(a => outcome.Addresses.Any(o => o.Family == Family(a))).ToList();
                            kept.Except(outcome.Addresses.Select(a => a.Address)).Should().BeEmpty("multiPool only adds addresses to a Service that keeps its families");
                            HoldsOnePerPoolWithRoom(engine, request, multiPool, outcome);
                        }

                        break;
                    }

                    case Step.Release:
                    {
                        var key = new ServiceKey("default", $"s{service}");
                        var held = engine.AddressesOf(key).Select(a => a.Address).ToList();
                        engine.Release(key).Should().BeEquivalentTo(held, "nothing is shared, so release gives every address back");
                        engine.AddressesOf(key).Should().BeEmpty();
                        requests.Remove(service);
                        break;
                    }

                    case Step.Toggle:
                    {
                        multiPool = !multiPool;
                        var before = engine.Assignments().ToDictionary(a => a.Key, a => a.Value);
                        engine.SetGroups([Segments(multiPool)]);
                        foreach (var request in requests.Values)
                        {
                            var outcome = engine.Allocate(request);
                            var was = before.GetValueOrDefault(request.Key) ?? [];
                            var now = outcome.Addresses.Select(a => a.Address).ToList();
                            if (multiPool)
                            {
                                was.Except(now).Should().BeEmpty("switching multiPool on only adds addresses");
                            }
                            else
                            {
                                // Off: the first address of each family stays, the others go back.
                                // (A PreferDualStack Service may meanwhile get its missing family from addresses others gave back.)
                                now.Where(a => was.Any(w => Family(w) == Family(a))).Should()
                                    .Equal(was.GroupBy(Family).Select(g => g.First()), "switching multiPool off keeps the first address of each family");
                                now.GroupBy(Family).Should().NotContain(g => g.Count() > 1);
                            }

                            outcome.Status.Should().Be(now.Count > 0 ? AllocationStatus.Allocated : AllocationStatus.Pending);
                        }

                        break;
                    }

                    case Step.Restart:
                    {
                        var before = engine.Assignments();
                        var restored = Fixtures.Engine(Segments(multiPool));
                        foreach (var request in requests.Values)
                        {
                            var held = before.FirstOrDefault(a => a.Key == request.Key).Value ?? [];
                            restored.Restore(request, held).Status.Should().Be(AllocationStatus.Allocated, "every address it held is valid");
                        }

                        restored.Assignments().Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
                        restored.Statistics().Should().Equal(engine.Statistics());
                        engine = restored;
                        break;
                    }
                }

                var all = engine.Assignments().SelectMany(a => a.Value).ToList();
                all.Should().OnlyHaveUniqueItems();
                engine.Statistics().Sum(s => s.Used).Should().Be(all.Count, "the pools count exactly the addresses held");
            }

            return true;
        });
    }

    private static IpFamily Family(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IpFamily.IPv6 : IpFamily.IPv4;

    private static void HoldsOnePerPoolWithRoom(AddressAllocator engine, ServiceRequest request, bool multiPool, AllocationOutcome outcome)
    {
        var free = engine.Statistics().ToDictionary(s => s.Pool, s => s.Free);
        foreach (var family in outcome.Addresses.Select(a => a.Family).Distinct())
        {
            var pools = outcome.Addresses.Where(a => a.Family == family).Select(a => a.Pool!).ToList();
            pools.Should().OnlyHaveUniqueItems("one address per pool");
            if (!multiPool)
            {
                pools.Should().ContainSingle("without multiPool one address per family");
                continue;
            }

            foreach (var pool in engine.Statistics().Where(s => s.Family == family && !pools.Contains(s.Pool)))
            {
                free[pool.Pool].Should().Be(0, $"{request.Key} has no address from {pool.Pool}, so it must be full");
            }
        }
    }
}
