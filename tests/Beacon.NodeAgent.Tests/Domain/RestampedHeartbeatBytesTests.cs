using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// A routine heartbeat sent as the previous one's bytes with a new id and times reads, for every receiver, exactly as a
/// freshly encoded one would: same heartbeat, the new send time, a new envelope id and time; and a peer still takes
/// it as a repeat without decoding it.
/// </summary>
public sealed class RestampedHeartbeatBytesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly NodeHeartbeat Beat = new("node2", "eth0", ["198.18.10.0/24", "fd00:beac:10::/64"], new LinkState(true, "up", true),
        new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node2", ["zone"] = "a+b" }, true, T0, "d45cf77f5241");

    private static byte[] Template() => CloudEventCodec.Encode(EventTypes.NodeHeartbeat, Beat, "/beacon/nodeagent/node2", "node2", T0.AddTicks(13));

    [Fact]
    public void A_restamped_heartbeat_decodes_to_the_same_heartbeat_sent_at_the_new_time()
    {
        var id = Guid.NewGuid();
        var sentAt = T0.AddMilliseconds(50.1234567);
        var time = sentAt.AddTicks(9);

        var bytes = RestampedHeartbeatBytes.From(Template(), id, time, sentAt);

        bytes.Should().NotBeNull();
        var envelope = CloudEventCodec.Decode(bytes!);
        envelope.Error.Should().BeNull();
        envelope.Value!.Id.Should().Be(id.ToString("N"));
        envelope.Value.Time.Should().Be(time);
        envelope.Value.Subject.Should().Be("node2");
        var heartbeat = CloudEventCodec.Decode(bytes!, EventTypes.NodeHeartbeat);
        heartbeat.Error.Should().BeNull();
        heartbeat.Value!.SentAt.Should().Be(sentAt);
        RoutineHeartbeat.Repeats(Beat, heartbeat.Value).Should().BeTrue("everything but the send time is the template's");
        heartbeat.Value.Labels["zone"].Should().Be("a+b");
    }

    [Fact]
    public void A_peer_takes_a_restamped_heartbeat_as_a_repeat_without_decoding_it()
    {
        var template = Template();

        RepeatedHeartbeatBytes.Repeats(template, RestampedHeartbeatBytes.From(template, Guid.NewGuid(), T0.AddSeconds(1), T0.AddSeconds(1))!).Should().BeTrue();
    }

    [Fact]
    public void Bytes_that_are_no_heartbeat_are_not_restamped()
    {
        RestampedHeartbeatBytes.From([], Guid.NewGuid(), T0, T0).Should().BeNull();
        RestampedHeartbeatBytes.From("{\"id\":\"x\"}"u8, Guid.NewGuid(), T0, T0).Should().BeNull();
    }

    [Property(MaxTest = 200)]
    public Property Any_send_time_round_trips_exactly(NonNegativeInt milliseconds, NonNegativeInt ticks)
    {
        var sentAt = T0.AddMilliseconds(milliseconds.Get % 86_400_000).AddTicks(ticks.Get % 10_000);
        var bytes = RestampedHeartbeatBytes.From(Template(), Guid.NewGuid(), sentAt, sentAt)!;
        var decoded = CloudEventCodec.Decode(bytes, EventTypes.NodeHeartbeat);
        return (decoded.Error is null && decoded.Value!.SentAt == sentAt && CloudEventCodec.Decode(bytes).Value!.Time == sentAt).ToProperty();
    }
}
