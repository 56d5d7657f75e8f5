using Beacon.Contracts;
using Beacon.Ctl.Rendering;

namespace Beacon.Services.Tests.Beaconctl;

/// <summary>beaconctl nodes joins heartbeats with the Allocator's announcers.</summary>
public sealed class NodeRowsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(1);

    [Fact]
    public void Each_node_lists_what_it_announces_and_a_silent_announcer_is_shown_as_dead()
    {
        var status = new StatusQueryReply("alloc", [],
        [
            new ServiceReport(new ServiceKey("demo", "web"), "lan", ["198.18.10.200"], "Allocated", null, ["node-a", "node-c"]),
        ], Now);

        var rows = NodeRows.Build([(Heartbeat("node-a"), Now.AddMilliseconds(-40)), (Heartbeat("node-b"), Now)], status, Now);

        rows.Select(r => r.Node).Should().Equal("node-a", "node-b", "node-c");
        rows[0].Announces.Should().Equal("demo/web 198.18.10.200");
        rows[0].LastSeen.Should().Be(TimeSpan.FromMilliseconds(40));
        rows[1].Announces.Should().BeEmpty();
        rows[2].LastSeen.Should().BeNull("node-c sends no heartbeat but the Allocator still lists it");
    }

    [Fact]
    public void Without_the_allocators_answer_announcements_are_unknown_not_empty()
    {
        var rows = NodeRows.Build([(Heartbeat("node-a"), Now)], null, Now);

        rows.Should().ContainSingle().Which.Announces.Should().BeNull();
    }

    [Fact]
    public void The_event_filter_matches_a_service_by_allocation_subject_or_announcement_payload()
    {
        var filter = new EventFilter("io.beacon", "demo/web");
        var announcement = CloudEventCodec.Decode(CloudEventCodec.Encode(EventTypes.Announcement,
            new Announcement("node-a", new ServiceKey("demo", "web"), "198.18.10.200", "eth0", AnnouncementRole.Owner, "elected", Now), "/x")).Value!;
        var other = CloudEventCodec.Decode(CloudEventCodec.Encode(EventTypes.Announcement,
            new Announcement("node-a", new ServiceKey("demo", "api"), "198.18.10.201", "eth0", AnnouncementRole.Owner, "elected", Now), "/x")).Value!;

        filter.Matches(Subjects.Announcements("node-a"), announcement).Should().BeTrue();
        filter.Matches(Subjects.Announcements("node-a"), other).Should().BeFalse();
        new EventFilter("io.beacon.allocation", null).Matches(Subjects.Announcements("node-a"), announcement).Should().BeFalse();
    }

    private static NodeHeartbeat Heartbeat(string node) =>
        new(node, "eth0", ["198.18.10.0/24"], new LinkState(true, "up", true), new Dictionary<string, string>(), true, Now, "s");
}
