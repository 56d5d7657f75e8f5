using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// A heartbeat is taken undecoded only when it repeats the last one decoded from its subject in everything but its id
/// and times; any change a peer could make (candidacy, link, subnets, labels, a restart, leaving) is decoded.
/// </summary>
public sealed class RepeatedHeartbeatBytesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static NodeHeartbeat Beat(bool candidate = true, bool leaving = false, string startId = "d45cf77f5241", string subnet = "198.18.10.0/24",
        bool linkUp = true, string zone = "a", DateTimeOffset? sentAt = null) =>
        new("node2", "eth0", [subnet, "fd00:beac:10::/64"], new LinkState(linkUp, linkUp ? "up" : "down", linkUp),
            new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node2", ["zone"] = zone }, candidate, sentAt ?? T0, startId, leaving);

    /// <summary>As the agent sends it: a fresh id, the envelope time and sentAt of the moment.</summary>
    private static byte[] Wire(NodeHeartbeat heartbeat, int ticks) => CloudEventCodec.Encode(
        EventTypes.NodeHeartbeat, heartbeat with { SentAt = T0.AddTicks(ticks) }, "/beacon/nodeagent/node2", "node2", T0.AddTicks(ticks + 13), Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_next_routine_heartbeat_repeats_the_last_one_and_every_change_a_peer_makes_does_not()
    {
        var last = Wire(Beat(), 1);

        RepeatedHeartbeatBytes.Repeats(last, Wire(Beat(), 500_000)).Should().BeTrue("only id, time and sentAt differ");
        RepeatedHeartbeatBytes.Repeats(last, Wire(Beat(candidate: false), 500_000)).Should().BeFalse("candidacy");
        RepeatedHeartbeatBytes.Repeats(last, Wire(Beat(leaving: true), 500_000)).Should().BeFalse("leaving");
        RepeatedHeartbeatBytes.Repeats(last, Wire(Beat(startId: "e45cf77f5241"), 500_000)).Should().BeFalse("a restart");
        RepeatedHeartbeatBytes.Repeats(last, Wire(Beat(subnet: "198.18.11.0/24"), 500_000)).Should().BeFalse("subnets");
        RepeatedHeartbeatBytes.Repeats(last, Wire(Beat(linkUp: false), 500_000)).Should().BeFalse("link");
        RepeatedHeartbeatBytes.Repeats(last, Wire(Beat(zone: "b"), 500_000)).Should().BeFalse("labels");
        RepeatedHeartbeatBytes.Repeats(last, []).Should().BeFalse();
        RepeatedHeartbeatBytes.Repeats([], last).Should().BeFalse();
    }

    [Fact]
    public void A_label_named_like_a_varying_value_is_compared_like_any_other_byte()
    {
        var labelled = Beat() with { Labels = new Dictionary<string, string> { ["sentAt"] = "x", ["time"] = "y", ["id"] = "z" } };

        RepeatedHeartbeatBytes.Repeats(Wire(labelled, 1), Wire(labelled, 7)).Should().BeTrue();
        RepeatedHeartbeatBytes.Repeats(Wire(labelled, 1), Wire(labelled with { Labels = new Dictionary<string, string> { ["sentAt"] = "q", ["time"] = "y", ["id"] = "z" } }, 7))
            .Should().BeFalse();
    }

    [Property]
    public Property Any_byte_changed_outside_the_id_and_the_times_is_decoded()
    {
        var last = Wire(Beat(), 1);
        var next = Wire(Beat(), 2);
        var varying = VaryingRanges(next);
        var positions = Gen.Choose(0, next.Length - 1).Where(i => !varying.Any(r => i >= r.Start && i < r.End));
        return Prop.ForAll(positions.ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (at, flip) =>
        {
            var damaged = (byte[])next.Clone();
            damaged[at] ^= (byte)flip;
            return !RepeatedHeartbeatBytes.Repeats(last, damaged);
        });
    }

    private static List<(int Start, int End)> VaryingRanges(byte[] payload)
    {
        var text = System.Text.Encoding.UTF8.GetString(payload);
        return new[] { "\"id\":\"", "\"time\":\"", "\"sentAt\":\"" }.Select(key =>
        {
            var start = text.IndexOf(key, StringComparison.Ordinal) + key.Length;
            return (start, text.IndexOf('"', start));
        }).ToList();
    }
}
