using Beacon.Allocator.Controller;
using Beacon.Contracts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Allocator.Tests.Reconciling;

/// <summary>
/// A node's status replaces what the Allocator knows of it. It must requeue exactly the Services whose announcing
/// nodes changed (the others keep their annotation), whatever the node held before, and leave other nodes alone.
/// </summary>
public sealed class AnnouncementTrackerStatusTests
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];

    private static Announcement Held(string node, int service, int address, AnnouncementRole role = AnnouncementRole.Member) =>
        new(node, new ServiceKey("default", $"s{service}"), $"10.0.0.{address}", "kube-lb0", role, "test", DateTimeOffset.UnixEpoch);

    /// <summary>A step: a live announcement, a node's whole status, or a node forgotten.</summary>
    private static readonly Gen<Func<AnnouncementTracker, IReadOnlyList<string>?>> Step = Gen.OneOf(
        from node in Gen.Elements(Nodes)
        from service in Gen.Choose(0, 7)
        from address in Gen.Choose(0, 3)
        from role in Gen.Elements(AnnouncementRole.Member, AnnouncementRole.Owner, AnnouncementRole.Withdrawn)
        select (Func<AnnouncementTracker, IReadOnlyList<string>?>)(t => { t.Record(Held(node, service, address, role)); return null; }),
        from node in Gen.Elements(Nodes)
        from holding in Gen.ListOf(
            from writer in Gen.Elements([.. Nodes, node, node])
            from service in Gen.Choose(0, 7)
            from address in Gen.Choose(0, 3)
            from role in Gen.Elements(AnnouncementRole.Member, AnnouncementRole.Owner, AnnouncementRole.Withdrawn)
            select Held(writer, service, address, role))
        select (Func<AnnouncementTracker, IReadOnlyList<string>?>)(t => t.ReplaceNode(new NodeStatusReport(node, [.. holding], DateTimeOffset.UnixEpoch))),
        from node in Gen.Elements(Nodes)
        select (Func<AnnouncementTracker, IReadOnlyList<string>?>)(t => { t.ForgetNode(node); return null; }));

    private static Dictionary<string, string?> Annotations(AnnouncementTracker tracker) =>
        Enumerable.Range(0, 8).Select(i => $"default/s{i}").ToDictionary(k => k, tracker.AnnotationFor);

    [Property]
    public Property A_status_requeues_exactly_the_services_whose_announcing_nodes_changed() =>
        Prop.ForAll(Gen.ListOf(Step).ToArbitrary(), steps =>
        {
            var tracker = new AnnouncementTracker();
            foreach (var step in steps)
            {
                var before = Annotations(tracker);
                var changed = step(tracker);
                var after = Annotations(tracker);
                if (changed is not null
                    && (changed.Distinct().Count() != changed.Count || !changed.ToHashSet().SetEquals(after.Keys.Where(k => before[k] != after[k]))))
                {
                    return false;
                }
            }

            return true;
        });

    [Fact]
    public void A_status_of_one_node_leaves_the_services_of_the_others_out_and_its_unchanged_holdings_are_not_requeued()
    {
        var tracker = new AnnouncementTracker();
        tracker.ReplaceNode(new NodeStatusReport("n2", [Held("n2", 1, 1)], DateTimeOffset.UnixEpoch)).Should().Equal("default/s1");
        tracker.ReplaceNode(new NodeStatusReport("n1", [Held("n1", 2, 2)], DateTimeOffset.UnixEpoch)).Should().Equal("default/s2");

        tracker.ReplaceNode(new NodeStatusReport("n1", [Held("n1", 2, 2), Held("n1", 3, 3)], DateTimeOffset.UnixEpoch)).Should().Equal("default/s3");
        tracker.ReplaceNode(new NodeStatusReport("n1", [Held("n1", 3, 3)], DateTimeOffset.UnixEpoch)).Should().Equal("default/s2");
        tracker.AnnotationFor("default/s1").Should().Be("n2");
    }
}
