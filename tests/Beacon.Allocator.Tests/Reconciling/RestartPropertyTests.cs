using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.Models;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Reconciling;

/// <summary>
/// The whole status path (engine → decision → planned status written on the Service → restore in a new engine)
/// never moves an address, whatever Services exist and in whatever order the new leader sees them.
/// </summary>
public sealed class RestartPropertyTests
{
    private static readonly LoadBalancerClassFilter Classes = new("beacon.io/beacon", ["purelb.io/purelb"], true);

    private static Service Build(int id, int kind)
    {
        var annotations = (kind % 5) switch
        {
            0 => Annotations(("purelb.io/allow-shared-ip", "shared")),
            1 => Annotations(("purelb.io/service-group", "small")),
            2 => Annotations(("purelb.io/addresses", $"10.0.0.{1 + (id % 6)}")),
            3 => Annotations(("purelb.io/addresses", "not-an-ip")),
            _ => null,
        };
        return Service($"s{id}", ns: $"ns{id % 3}", annotations: annotations, tcpPorts: [80 + (id % 4)], type: kind % 7 == 6 ? "ClusterIP" : "LoadBalancer");
    }

    private static void Write(Service service, ServiceDecision decision)
    {
        var plan = ServiceStatusPlanner.Plan(service, decision, DateTimeOffset.UnixEpoch);
        if (plan.Status is not null)
        {
            service.Status = plan.Status;
        }
    }

    [Property]
    public Property A_new_leader_restoring_from_written_statuses_in_any_order_keeps_every_address()
    {
        var groups = new[] { Group("big", "10.0.0.0/24", "10.0.0.1-10.0.0.8"), Group("small", "10.1.0.0/24", "10.1.0.1-10.1.0.2") };
        var gen = Gen.Choose(0, 34).ListOf().Select(kinds => kinds.ToList())
            .SelectMany(kinds => Gen.Shuffle(Enumerable.Range(0, kinds.Count).ToArray()), (kinds, order) => (kinds, order));
        return Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (kinds, order) = input;
            var services = kinds.Select((k, i) => Build(i, k)).ToList();
            var leader = new AllocationEngine(Classes);
            leader.SetGroups(groups);
            foreach (var service in services)
            {
                Write(service, leader.Reconcile(service, null));
            }

            var before = services.ToDictionary(s => s.Key, s => string.Join(",", ServiceRequestMapper.StatusAddresses(s)));
            foreach (var holders in services.Where(s => before[s.Key].Length > 0).GroupBy(s => before[s.Key]).Where(g => g.Count() > 1))
            {
                holders.Should().OnlyContain(s => s.Metadata.Annotations != null && s.Metadata.Annotations.ContainsKey("purelb.io/allow-shared-ip"),
                    "an address is held twice only by Services sharing it");
            }

            var next = new AllocationEngine(Classes);
            next.SetGroups(groups);
            var shuffled = order.Select(i => services[i]).ToList();
            next.Restore(shuffled.Select(s => (s, (IReadOnlyDictionary<string, string>?)null)));
            foreach (var service in shuffled)
            {
                var decision = next.Reconcile(service, null);
                if (before[service.Key].Length > 0)
                {
                    // A pending Service's reason may name a different holder after a restart; a served one must not change at all.
                    ServiceStatusPlanner.Plan(service, decision, DateTimeOffset.UnixEpoch).Status.Should().BeNull($"{service.Key} must not be rewritten after a restart");
                }
            }

            services.ToDictionary(s => s.Key, s => string.Join(",", next.AddressesOf(ServiceRequestMapper.KeyOf(s)).Select(a => a.Address)))
                .Should().Equal(before);
        });
    }
}
