using System.Net;
using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

/// <summary>
/// Random interleavings of create/update/delete/restart/group changes against the engine, checking after every step:
/// no address held by two incompatible Services, every valid held address inside a pool of an eligible group,
/// RequireDualStack never half-allocated, a restart reproduces the same assignments, and the whole run is
/// deterministic (replaying without restarts gives identical outcomes).
/// </summary>
public sealed class AllocatorProperties
{
    private static readonly ServiceGroupSpec[][] Configs =
    [
        [
            new() { Name = "default", V4Pool = new PoolSpec("10.0.0.0/24", "10.0.0.1-10.0.0.4"), V6Pool = new PoolSpec("fd00::/64", "fd00::1-fd00::3") },
            new() { Name = "extra", AutoAssign = false, V4Pool = new PoolSpec("10.0.1.0/24", "10.0.1.0-10.0.1.2") },
            new()
            {
                Name = "tenant", AvoidBuggyIPs = true, V4Pool = new PoolSpec("10.0.2.0/23", "10.0.2.254-10.0.3.1"),
                Allocation = new AllocationSpec { Priority = 1, Namespaces = ["t"] },
            },
        ],
        [
            new() { Name = "default", V4Pool = new PoolSpec("10.0.0.0/24", "10.0.0.1-10.0.0.2"), V6Pool = new PoolSpec("fd00::/64", "fd00::2") },
            new()
            {
                Name = "tenant", V4Pool = new PoolSpec("10.0.2.0/23", "10.0.2.254-10.0.3.1"),
                Allocation = new AllocationSpec { NamespaceSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "paid" } } },
            },
        ],
        [
            new() { Name = "default", V4Pools = [new PoolSpec("10.0.0.0/24", "10.0.0.1-10.0.0.6")], V6Pool = new PoolSpec("fd00::/64", "fd00::1-fd00::4") },
            new() { Name = "extra", V4Pool = new PoolSpec("10.0.1.0/24", "10.0.1.1") },
        ],
    ];

    private static readonly string?[] Groups = [null, null, null, "default", "extra", "tenant", "missing"];
    private static readonly string?[] Addresses = [null, null, null, null, "10.0.0.2", "10.0.1.1", "fd00::2", "10.0.0.2,fd00::2", "10.9.9.9", "10.0.3.0", "10.0.2.255"];
    private static readonly string?[] Keys = [null, null, "k1", "k1", "k2"];
    private static readonly ServicePort[] PortChoices = [new(80), new(443), new(53, "UDP")];
    private static readonly IpFamily[][] FamilyChoices = [[], [IpFamily.IPv4], [IpFamily.IPv6], [IpFamily.IPv4, IpFamily.IPv6], [IpFamily.IPv6, IpFamily.IPv4]];
    private const int ServiceCount = 8;

    public abstract record Op;

    public sealed record Upsert(int Service, string? Group, string? Addresses, string? Key, int Ports, bool Local, string App, IpFamilyPolicy Policy, int Families) : Op;

    public sealed record Delete(int Service) : Op;

    public sealed record Restart : Op;

    public sealed record ChangeGroups(int Config) : Op;

    private static Gen<Op> OpGen()
    {
        var upsert =
            from service in Gen.Choose(0, ServiceCount - 1)
            from g in Gen.Elements(Groups)
            from a in Gen.Elements(Addresses)
            from k in Gen.Elements(Keys)
            from ports in Gen.Choose(1, 7)
            from local in Gen.Elements(false, false, true)
            from app in Gen.Elements("a", "b")
            from policy in Gen.Elements(IpFamilyPolicy.SingleStack, IpFamilyPolicy.SingleStack, IpFamilyPolicy.PreferDualStack, IpFamilyPolicy.RequireDualStack)
            from families in Gen.Choose(0, FamilyChoices.Length - 1)
            select (Op)new Upsert(service, g, a, k, ports, local, app, policy, families);
        return Gen.Frequency(
            (12, upsert),
            (4, Gen.Choose(0, ServiceCount - 1).Select(s => (Op)new Delete(s))),
            (1, Gen.Constant((Op)new Restart())),
            (1, Gen.Choose(0, Configs.Length - 1).Select(c => (Op)new ChangeGroups(c))));
    }

    private static ServiceKey KeyOf(int service) => new(service >= 6 ? "t" : "default", $"svc{service}");

    private static ServiceRequest RequestOf(Upsert u)
    {
        var annotations = new Dictionary<string, string>();
        if (u.Group is not null) { annotations[ServiceAnnotations.ServiceGroup] = u.Group; }
        if (u.Addresses is not null) { annotations[ServiceAnnotations.Addresses] = u.Addresses; }
        if (u.Key is not null) { annotations[ServiceAnnotations.AllowSharedIp] = u.Key; }
        var key = KeyOf(u.Service);
        return new ServiceRequest
        {
            Key = key,
            Annotations = annotations,
            NamespaceLabels = key.Namespace == "t" ? new Dictionary<string, string> { ["tier"] = "paid" } : new Dictionary<string, string>(),
            Ports = PortChoices.Where((_, i) => (u.Ports & (1 << i)) != 0).ToList(),
            ExternalTrafficPolicy = u.Local ? ExternalTrafficPolicy.Local : ExternalTrafficPolicy.Cluster,
            Selector = new Dictionary<string, string> { ["app"] = u.App },
            IpFamilyPolicy = u.Policy,
            IpFamilies = FamilyChoices[u.Families],
        };
    }

    /// <summary>Runs the ops; returns a transcript of every outcome. Checks invariants after each step.</summary>
    private static List<string> Run(IReadOnlyList<Op> ops, AllocatorOptions options, bool honourRestarts)
    {
        var engine = new AddressAllocator(options);
        var config = 0;
        engine.SetGroups(Configs[config]);
        var effective = new Dictionary<ServiceKey, ServiceRequest>();
        var transcript = new List<string>();
        foreach (var op in ops)
        {
            switch (op)
            {
                case Upsert u:
                    var request = RequestOf(u);
                    var outcome = engine.Allocate(request);
                    if (outcome.Status != AllocationStatus.Rejected)
                    {
                        effective[request.Key] = request;
                    }

                    if (outcome.Status == AllocationStatus.Allocated)
                    {
                        var count = outcome.Addresses.Count;
                        (u.Policy switch { IpFamilyPolicy.SingleStack => count == 1, IpFamilyPolicy.RequireDualStack => count == 2, _ => count is 1 or 2 })
                            .Should().BeTrue($"{u.Policy} got {count} addresses: {outcome}");
                    }

                    transcript.Add(outcome.ToString());
                    break;
                case Delete d:
                    transcript.Add(string.Join(",", engine.Release(KeyOf(d.Service))));
                    effective.Remove(KeyOf(d.Service));
                    break;
                case ChangeGroups c:
                    config = c.Config;
                    transcript.Add(string.Join(",", engine.SetGroups(Configs[config]).Stale));
                    break;
                case Restart when honourRestarts:
                    var restarted = new AddressAllocator(options);
                    restarted.SetGroups(Configs[config]);
                    foreach (var (key, addresses) in engine.Assignments())
                    {
                        restarted.Restore(effective[key], addresses);
                    }

                    restarted.Assignments().Should().BeEquivalentTo(engine.Assignments(), o => o.WithStrictOrdering(), "a restart must rebuild identical assignments");
                    engine = restarted;
                    break;
            }

            CheckInvariants(engine, effective);
        }

        transcript.Add(string.Join(";", engine.Assignments().Select(a => $"{a.Key}={string.Join(",", a.Value)}")));
        return transcript;
    }

    private static void CheckInvariants(AddressAllocator engine, Dictionary<ServiceKey, ServiceRequest> effective)
    {
        var assignments = engine.Assignments();
        var stale = engine.StaleServices().Select(s => s.Service).ToHashSet();
        var byAddress = new Dictionary<IPAddress, List<ServiceKey>>();
        foreach (var (key, addresses) in assignments)
        {
            var request = effective[key];
            engine.Pending.Should().NotContain(key, "a pending Service holds nothing");
            addresses.Select(a => a.AddressFamily).Should().OnlyHaveUniqueItems($"{key} holds at most one address per family");
            if (request.IpFamilyPolicy == IpFamilyPolicy.RequireDualStack)
            {
                addresses.Select(a => a.AddressFamily).Distinct().Count().Should().Be(addresses.Count == 0 ? 0 : 2, $"{key} is RequireDualStack and holds {string.Join(",", addresses)}");
            }

            foreach (var address in addresses)
            {
                if (!byAddress.TryGetValue(address, out var holders)) { byAddress[address] = holders = []; }
                holders.Add(key);
                if (!stale.Contains(key))
                {
                    EligiblePoolFor(engine.Groups, request, address).Should().BeTrue($"{key} holds {address} which is not in a pool of an eligible group");
                }
            }
        }

        foreach (var (address, holders) in byAddress)
        {
            for (var i = 0; i < holders.Count; i++)
            {
                for (var j = i + 1; j < holders.Count; j++)
                {
                    Compatible(effective[holders[i]], effective[holders[j]]).Should().BeTrue($"{holders[i]} and {holders[j]} both hold {address}");
                }
            }
        }
    }

    private static bool EligiblePoolFor(ServiceGroupCatalog catalog, ServiceRequest request, IPAddress address)
    {
        var numeric = NumericAddress.From(address);
        var group = catalog.Groups.SingleOrDefault(g => g.Pools.Any(p => p.Ranges.Any(r => r.Contains(numeric))));
        if (group is null || !group.Allocation.Admits(request) || (group.AvoidBuggyIPs && numeric.IsBuggyIPv4))
        {
            return false;
        }

        var values = ServiceAnnotations.Parse(request.Annotations).Values!;
        return (values.ServiceGroup is null || values.ServiceGroup == group.Name)
            && (values.Addresses.Count == 0 ? values.ServiceGroup is not null || group.AutoAssign : values.Addresses.Contains(numeric));
    }

    private static bool Compatible(ServiceRequest a, ServiceRequest b)
    {
        var keyA = ServiceAnnotations.Parse(a.Annotations).Values!.SharingKey;
        var keyB = ServiceAnnotations.Parse(b.Annotations).Values!.SharingKey;
        var local = a.ExternalTrafficPolicy == ExternalTrafficPolicy.Local || b.ExternalTrafficPolicy == ExternalTrafficPolicy.Local;
        return keyA is not null && keyA == keyB
            && !a.Ports.Intersect(b.Ports).Any()
            && (!local || a.Selector["app"] == b.Selector["app"]);
    }

    private static Arbitrary<Op[]> Scenarios() => Arb.From(Gen.ArrayOf(OpGen()).Select(ops => ops.Take(60).ToArray()));

    [Property(MaxTest = 250)]
    public Property Invariants_hold_and_restarts_change_nothing_without_renumbering()
    {
        return Prop.ForAll(Scenarios(), ops =>
        {
            var options = new AllocatorOptions();
            Run(ops, options, honourRestarts: true).Should().Equal(Run(ops, options, honourRestarts: false));
        });
    }

    [Property(MaxTest = 250)]
    public Property Invariants_hold_and_restarts_change_nothing_with_renumbering()
    {
        return Prop.ForAll(Scenarios(), ops =>
        {
            var options = new AllocatorOptions { RenumberInvalid = true };
            Run(ops, options, honourRestarts: true).Should().Equal(Run(ops, options, honourRestarts: false));
        });
    }

    [Property(MaxTest = 100)]
    public Property The_same_operations_always_give_the_same_outcomes()
    {
        return Prop.ForAll(Scenarios(), ops =>
            Run(ops, new AllocatorOptions(), honourRestarts: true).Should().Equal(Run(ops, new AllocatorOptions(), honourRestarts: true)));
    }
}
