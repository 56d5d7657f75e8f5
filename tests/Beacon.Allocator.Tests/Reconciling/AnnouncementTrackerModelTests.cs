using Beacon.Allocator.Controller;
using Beacon.Contracts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Allocator.Tests.Reconciling;

/// <summary>
/// The tracker keeps per-node indexes so a node's status touches only that node's Services. Whatever the sequence of
/// announcements, hand-off reports, statuses and departures, it must show exactly what a plain list of every
/// announcement applied in order shows: the same live announcements, each with the peers last reported for it.
/// </summary>
public sealed class AnnouncementTrackerModelTests
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];

    private static Announcement Held(string node, int service, int address, AnnouncementRole role, IReadOnlyList<string>? peers = null) =>
        new(node, new ServiceKey("default", $"s{service}"), $"10.0.0.{address}", "kube-lb0", role, "test", DateTimeOffset.UnixEpoch, peers);

    private static readonly Gen<Announcement> AnyAnnouncement =
        from node in Gen.Elements(Nodes)
        from service in Gen.Choose(0, 5)
        from address in Gen.Choose(0, 2)
        from role in Gen.Elements(AnnouncementRole.Member, AnnouncementRole.Owner, AnnouncementRole.Withdrawn)
        from report in Gen.Elements(false, false, true)
        from peer in Gen.Elements("r1", "r2")
        select Held(node, service, address, role, report ? [peer] : null);

    /// <summary>A step: an announcement or hand-off report, a node's whole status, or a node forgotten.</summary>
    private sealed record Step(Announcement? Announcement, NodeStatusReport? Status, string? Forget);

    private static readonly Gen<Step> Steps = Gen.Frequency(
        (6, AnyAnnouncement.Select(a => new Step(a, null, null))),
        (2, from node in Gen.Elements(Nodes)
            from holding in Gen.ListOf(AnyAnnouncement.Select(a => a with { Peers = null }))
            select new Step(null, new NodeStatusReport(node, [.. holding], DateTimeOffset.UnixEpoch), null)),
        (1, Gen.Elements(Nodes).Select(n => new Step(null, null, n))));

    /// <summary>The meaning of the tracker, without indexes: every entry in a list, every report in a map.</summary>
    private sealed class Model
    {
        private readonly List<Announcement> entries = [];
        private readonly Dictionary<(string Service, string Node, string Address), IReadOnlyList<string>> reports = [];

        public void Apply(Step step)
        {
            if (step.Announcement is { } a)
            {
                var key = (a.Service.ToString(), a.Node, a.Address);
                if (a.IsHandOffReport)
                {
                    reports[key] = a.Peers!;
                    return;
                }

                entries.RemoveAll(e => Same(e, a));
                if (a.Role == AnnouncementRole.Withdrawn)
                {
                    reports.Remove(key);
                }
                else
                {
                    entries.Add(a);
                }
            }
            else if (step.Status is { } status)
            {
                Forget(status.Node);
                foreach (var h in status.Holding.Where(h => h.Node == status.Node && h.Role != AnnouncementRole.Withdrawn))
                {
                    entries.RemoveAll(e => Same(e, h));
                    entries.Add(h);
                }
            }
            else
            {
                Forget(step.Forget!);
            }
        }

        private void Forget(string node)
        {
            var held = entries.Select(e => e.Service.ToString()).ToHashSet();
            foreach (var k in reports.Keys.Where(k => k.Node == node && held.Contains(k.Service)).ToList())
            {
                reports.Remove(k);
            }

            entries.RemoveAll(e => e.Node == node);
        }

        private static bool Same(Announcement x, Announcement y) => x.Service == y.Service && x.Node == y.Node && x.Address == y.Address;

        public IEnumerable<string> Announcing() => entries.Select(e =>
            Describe(reports.TryGetValue((e.Service.ToString(), e.Node, e.Address), out var peers) ? e with { Peers = peers } : e));
    }

    private static string Describe(Announcement a) =>
        $"{a.Service} {a.Node} {a.Address} {a.Role} [{(a.Peers is null ? "-" : string.Join(",", a.Peers))}]";

    [Property(MaxTest = 300)]
    public Property The_tracker_shows_what_every_announcement_applied_in_order_shows() =>
        Prop.ForAll(Gen.ListOf(Steps).ToArbitrary(), steps =>
        {
            var tracker = new AnnouncementTracker();
            var model = new Model();
            foreach (var step in steps)
            {
                model.Apply(step);
                if (step.Announcement is { } a)
                {
                    tracker.Record(a);
                }
                else if (step.Status is { } status)
                {
                    tracker.ReplaceNode(status);
                }
                else
                {
                    tracker.ForgetNode(step.Forget!);
                }

                if (!tracker.Announcing().Select(Describe).Order(StringComparer.Ordinal).SequenceEqual(model.Announcing().Order(StringComparer.Ordinal)))
                {
                    return false;
                }
            }

            return true;
        });
}
