using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class AnnouncementChangeTests
{
    private static readonly ServiceKey[] Keys = [new("default", "a"), new("default", "b"), new("shop", "a"), new("shop", "web")];

    private static readonly PlumbedAddress[] Plumbings =
    [
        .. from address in new[] { "198.18.0.10", "198.18.0.11", "203.0.113.1", "fd00::10" }
           from prefix in new[] { 32, 24 }
           from device in new[] { "eth0", "kube-lb0" }
           select new PlumbedAddress(IPAddress.Parse(address), prefix, device),
    ];

    private static Gen<AddressPlan> Plans =>
        from chosen in Gen.SubListOf(Plumbings)
        from planned in Gen.CollectToArray(chosen, plumbing =>
            from role in Gen.Elements(AnnouncementRole.Owner, AnnouncementRole.Member)
            from services in Gen.NonEmptyListOf(Gen.Elements(Keys))
            select new PlannedAddress(plumbing, role, [.. services.Distinct()]))
        select new AddressPlan([.. planned], planned.Where(p => p.Role == AnnouncementRole.Owner).DistinctBy(p => p.Plumbing.Address).ToDictionary(p => p.Plumbing.Address, _ => (string?)"node1"));

    /// <summary>The definition: every (service, address) with its role in each plan, compared.</summary>
    private static List<AnnouncementChange> Model(AddressPlan before, AddressPlan after)
    {
        static Dictionary<(ServiceKey, PlumbedAddress), AnnouncementRole> Entries(AddressPlan plan) =>
            plan.Addresses.SelectMany(p => p.Services.Select(s => (Key: (s, p.Plumbing), p.Role))).ToDictionary(e => e.Key, e => e.Role);
        var old = Entries(before);
        var now = Entries(after);
        return
        [
            .. now.Where(e => !old.TryGetValue(e.Key, out var role) || role != e.Value).Select(e => new AnnouncementChange(e.Key.Item1, e.Key.Item2, e.Value)),
            .. old.Keys.Where(k => !now.ContainsKey(k)).Select(k => new AnnouncementChange(k.Item1, k.Item2, AnnouncementRole.Withdrawn)),
        ];
    }

    [Property(MaxTest = 1000)]
    public Property Reports_exactly_the_changed_roles_and_the_withdrawals_in_plan_order()
    {
        var pairs = from before in Plans from after in Plans select (before, after);
        return Prop.ForAll(pairs.ToArbitrary(), p => AnnouncementChange.Between(p.before, p.after).SequenceEqual(Model(p.before, p.after)));
    }

    [Property(MaxTest = 500)]
    public Property A_plan_is_the_same_as_its_copy_and_the_same_plans_announce_nothing()
    {
        var pairs = from before in Plans from after in Plans select (before, after);
        return Prop.ForAll(pairs.ToArbitrary(), p =>
        {
            var copy = new AddressPlan([.. p.before.Addresses.Select(a => a with { Services = [.. a.Services] })], new Dictionary<IPAddress, string?>(p.before.Owners));
            var sameMeansQuiet = !p.before.SameAs(p.after) || (AnnouncementChange.Between(p.before, p.after).Count == 0 && AnnouncementChange.Between(p.after, p.before).Count == 0);
            return p.before.SameAs(copy) && copy.SameAs(p.before) && sameMeansQuiet;
        });
    }

    [Fact]
    public void Another_owner_is_a_different_plan()
    {
        var planned = new PlannedAddress(Plumbings[0], AnnouncementRole.Owner, [Keys[0]]);
        var ours = new AddressPlan([planned], new Dictionary<IPAddress, string?> { [Plumbings[0].Address] = "node1", [Plumbings[2].Address] = "node2" });
        var moved = new AddressPlan([planned], new Dictionary<IPAddress, string?> { [Plumbings[0].Address] = "node1", [Plumbings[2].Address] = "node3" });

        ours.SameAs(moved).Should().BeFalse("who owns another node's address is part of the plan (status, metrics)");
        AnnouncementChange.Between(ours, moved).Should().BeEmpty();
    }
}
