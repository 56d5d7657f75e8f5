using Beacon.Allocator.Controller;
using Beacon.Contracts;

namespace Beacon.Allocator.Tests.Reconciling;

public sealed class WorkQueueAndAnnouncementTests
{
    [Fact]
    public async Task Keys_added_many_times_before_they_are_taken_are_processed_once_in_arrival_order()
    {
        var queue = new WorkQueue();
        foreach (var key in new[] { "a/x", "b/y", "a/x", "c/z", "b/y" })
        {
            queue.Add(key);
        }

        (await queue.TakeAsync(2, CancellationToken.None)).Should().Equal("a/x", "b/y");
        (await queue.TakeAsync(10, CancellationToken.None)).Should().Equal("c/z");
    }

    [Fact]
    public async Task Taking_waits_for_the_next_key()
    {
        var queue = new WorkQueue();
        var taking = queue.TakeAsync(10, CancellationToken.None);
        taking.IsCompleted.Should().BeFalse();

        queue.Add("a/x");

        (await taking.WaitAsync(TimeSpan.FromSeconds(5))).Should().Equal("a/x");
    }

    [Fact]
    public void Announcing_nodes_follow_owner_member_and_withdrawn_announcements()
    {
        var tracker = new AnnouncementTracker();
        var web = new ServiceKey("default", "web");
        Announcement Say(string node, AnnouncementRole role) => new(node, web, "10.0.0.1", "eth0", role, "test", DateTimeOffset.UnixEpoch);

        tracker.Record(Say("n2", AnnouncementRole.Member)).Should().BeTrue();
        tracker.Record(Say("n1", AnnouncementRole.Member)).Should().BeTrue();
        tracker.Record(Say("n1", AnnouncementRole.Member)).Should().BeFalse("nothing changed");
        tracker.AnnotationFor("default/web").Should().Be("n1,n2");

        tracker.Record(Say("n2", AnnouncementRole.Withdrawn)).Should().BeTrue();
        tracker.AnnotationFor("default/web").Should().Be("n1");
        tracker.ForgetNode("n1").Should().Equal("default/web");
        tracker.AnnotationFor("default/web").Should().BeNull();
    }

    [Fact]
    public void A_hand_off_report_adds_peers_to_a_held_address_never_a_holding_and_goes_with_the_withdrawal()
    {
        var tracker = new AnnouncementTracker();
        var web = new ServiceKey("default", "web");
        Announcement Say(string node, AnnouncementRole role, IReadOnlyList<string>? peers = null) =>
            new(node, web, "10.0.0.1", "kube-lb0", role, "test", DateTimeOffset.UnixEpoch, peers);

        tracker.Record(Say("n1", AnnouncementRole.Member, ["tor-a"])).Should().BeFalse("n1 holds nothing yet");
        tracker.AnnotationFor("default/web").Should().BeNull("a report is not a holding");

        tracker.Record(Say("n1", AnnouncementRole.Member)).Should().BeTrue();
        tracker.Announcing().Should().ContainSingle().Which.Peers.Should().Equal("tor-a");
        tracker.Record(Say("n1", AnnouncementRole.Member, ["tor-a", "tor-b"])).Should().BeTrue("the Service's BGP status changes");
        tracker.Announcing().Single().Peers.Should().Equal("tor-a", "tor-b");

        tracker.Record(Say("n1", AnnouncementRole.Withdrawn)).Should().BeTrue();
        tracker.Record(Say("n1", AnnouncementRole.Member)).Should().BeTrue();
        tracker.Announcing().Single().Peers.Should().BeNull("the report went with the withdrawal; the node reports again when it routes the address");
    }
}
