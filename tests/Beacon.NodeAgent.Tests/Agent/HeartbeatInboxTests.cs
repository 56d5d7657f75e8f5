using Beacon.Contracts;
using Beacon.NodeAgent.Agent;

namespace Beacon.NodeAgent.Tests.Agent;

/// <summary>The loop is woken only by heartbeats that tell something new; every heartbeat still reaches it, in order, with its arrival time.</summary>
public sealed class HeartbeatInboxTests
{
    private const string Scope = "v4-198-18-0-0-24";

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private static NodeHeartbeat Beat(string node = "node2", bool candidate = true, bool leaving = false, string startId = "a", string subnet = "198.18.0.0/24", bool linkUp = true) =>
        new(node, "eth0", [subnet], new LinkState(linkUp, linkUp ? "up" : "down", linkUp), new Dictionary<string, string> { ["zone"] = "a" }, candidate,
            DateTimeOffset.UtcNow, startId, leaving);

    [Fact]
    public void Only_news_wakes_the_loop_and_every_heartbeat_is_drained_in_order_with_its_arrival_time()
    {
        var inbox = new HeartbeatInbox(Ms(100));

        inbox.Post(Beat(), Scope, Ms(0)).Should().BeTrue("a node heard for the first time");
        inbox.Post(Beat(), Scope, Ms(50)).Should().BeFalse("a repeat only moves its expiry");
        inbox.Post(Beat(), "v6-other", Ms(51)).Should().BeTrue("first time in that scope");
        inbox.Post(Beat(candidate: false), Scope, Ms(100)).Should().BeTrue("candidacy changed");
        inbox.Post(Beat(candidate: false, linkUp: false), Scope, Ms(150)).Should().BeTrue("link changed");
        inbox.Post(Beat(candidate: false, linkUp: false, subnet: "198.18.1.0/24"), Scope, Ms(200)).Should().BeTrue("subnets changed");
        inbox.Post(Beat(candidate: false, linkUp: false, subnet: "198.18.1.0/24", startId: "b"), Scope, Ms(250)).Should().BeTrue("restarted");
        inbox.Post(Beat(candidate: false, linkUp: false, subnet: "198.18.1.0/24", startId: "b", leaving: true), Scope, Ms(260)).Should().BeTrue("leaving");
        inbox.Post(Beat(candidate: false, linkUp: false, subnet: "198.18.1.0/24", startId: "b"), Scope, Ms(270)).Should().BeTrue("back after leaving");
        inbox.Post(Beat(candidate: false, linkUp: false, subnet: "198.18.1.0/24", startId: "b"), Scope, Ms(500)).Should().BeTrue("back after a silence longer than two intervals");

        inbox.Drain().Select(h => h.At).Should().Equal(Ms(0), Ms(50), Ms(51), Ms(100), Ms(150), Ms(200), Ms(250), Ms(260), Ms(270), Ms(500));
        inbox.Drain().Should().BeEmpty();
    }

    [Fact]
    public void Different_labels_are_news_equal_ones_in_another_dictionary_are_not()
    {
        var inbox = new HeartbeatInbox(Ms(100));
        inbox.Post(Beat(), Scope, Ms(0));

        inbox.Post(Beat() with { Labels = new Dictionary<string, string> { ["zone"] = "a" } }, Scope, Ms(50)).Should().BeFalse();
        inbox.Post(Beat() with { Labels = new Dictionary<string, string> { ["zone"] = "b" } }, Scope, Ms(100)).Should().BeTrue();
    }
}
