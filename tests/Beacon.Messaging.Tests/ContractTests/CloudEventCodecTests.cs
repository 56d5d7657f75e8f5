using System.Text;
using System.Text.Json.Nodes;
using Beacon.Contracts;
using Beacon.Messaging.Tests.DesiredState;

namespace Beacon.Messaging.Tests.ContractTests;

public sealed class CloudEventCodecTests
{
    private static readonly AllocationChanged Allocation = SampleAllocations.For(42) with { Sequence = 7, Epoch = "e1", SharingKey = "shared" };

    [Fact]
    public void An_envelope_carries_the_cloudevents_1_0_attributes()
    {
        var json = JsonNode.Parse(CloudEventCodec.Encode(EventTypes.AllocationChanged, Allocation, EventSources.Allocator, "ns-0/svc-42"))!;

        json["specversion"]!.GetValue<string>().Should().Be("1.0");
        json["type"]!.GetValue<string>().Should().Be("io.beacon.allocation.changed.v1");
        json["source"]!.GetValue<string>().Should().Be("/beacon/allocator");
        json["subject"]!.GetValue<string>().Should().Be("ns-0/svc-42");
        json["datacontenttype"]!.GetValue<string>().Should().Be("application/json");
        json["id"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        DateTimeOffset.Parse(json["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        json["data"]!["addresses"]![0]!["placement"]!.GetValue<string>().Should().Be("Local", "enums are written as names");
    }

    [Fact]
    public void Every_event_type_round_trips()
    {
        Decode(EventTypes.AllocationChanged, Allocation).Should().BeEquivalentTo(Allocation);
        var released = new AllocationReleased(new ServiceKey("a", "b"), 3, "e1");
        Decode(EventTypes.AllocationReleased, released).Should().Be(released);
        var heartbeat = new NodeHeartbeat("n", "eth0", ["192.0.2.0/24"], new LinkState(true, "up", true), new Dictionary<string, string> { ["zone"] = "a" }, true, DateTimeOffset.UnixEpoch, "s");
        Decode(EventTypes.NodeHeartbeat, heartbeat).Should().BeEquivalentTo(heartbeat);
        var announcement = new Announcement("n", new ServiceKey("a", "b"), "192.0.2.1", "eth0", AnnouncementRole.Owner, "elected", DateTimeOffset.UnixEpoch);
        Decode(EventTypes.Announcement, announcement).Should().Be(announcement);
    }

    [Fact]
    public void Unknown_fields_in_the_envelope_and_the_data_are_ignored()
    {
        var json = JsonNode.Parse(CloudEventCodec.Encode(EventTypes.AllocationReleased, new AllocationReleased(new ServiceKey("a", "b"), 3, "e1"), "/x"))!;
        json["traceparent"] = "00-abc";
        json["data"]!["futureField"] = new JsonObject { ["x"] = 1 };

        var decoded = CloudEventCodec.Decode(Encoding.UTF8.GetBytes(json.ToJsonString()), EventTypes.AllocationReleased);

        decoded.Error.Should().BeNull();
        decoded.Value!.Sequence.Should().Be(3);
    }

    [Theory]
    [InlineData("{", DecodeErrorKind.MalformedJson)]
    [InlineData("[1,2]", DecodeErrorKind.MalformedJson)]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"data\":{}}", DecodeErrorKind.MissingAttribute)]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.beacon.allocation.released.v1\"}", DecodeErrorKind.MissingAttribute)]
    [InlineData("{\"specversion\":\"2.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.beacon.allocation.released.v1\",\"data\":{}}", DecodeErrorKind.UnsupportedSpecVersion)]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.beacon.allocation.released.v2\",\"data\":{}}", DecodeErrorKind.UnknownMajorVersion)]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.example.other.v1\",\"data\":{}}", DecodeErrorKind.UnexpectedType)]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.beacon.allocation.released.v1\",\"data\":{\"epoch\":\"e\"}}", DecodeErrorKind.InvalidData)]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.beacon.allocation.released.v1\",\"data\":{\"service\":{\"namespace\":\"a\",\"name\":\"b\"},\"sequence\":1,\"epoch\":null}}", DecodeErrorKind.InvalidData)]
    public void Bad_messages_come_back_as_a_specific_error_and_never_throw(string text, DecodeErrorKind kind)
    {
        var decoded = CloudEventCodec.Decode(Encoding.UTF8.GetBytes(text), EventTypes.AllocationReleased);

        decoded.Error!.Kind.Should().Be(kind);
    }

    [Fact]
    public void A_message_whose_attributes_are_not_UTF8_is_an_error_not_an_exception()
    {
        var text = Encoding.UTF8.GetBytes("{\"specversion\":\"1.0\",\"id\":\"X\",\"source\":\"/x\",\"type\":\"io.beacon.allocation.released.v1\",\"data\":{}}");
        var id = Array.IndexOf(text, (byte)'X');
        byte[] payload = [.. text[..id], 0xC3, 0x28, .. text[(id + 1)..]];

        CloudEventCodec.Decode(payload).Error!.Kind.Should().Be(DecodeErrorKind.MalformedJson);
    }

    [Fact]
    public void Messages_over_the_size_limit_are_refused_before_parsing()
    {
        var payload = CloudEventCodec.Encode(EventTypes.AllocationChanged, Allocation, "/x");

        CloudEventCodec.Decode(payload, EventTypes.AllocationChanged, maxBytes: payload.Length - 1).Error!.Kind.Should().Be(DecodeErrorKind.TooLarge);
        CloudEventCodec.Decode(payload, EventTypes.AllocationChanged, maxBytes: payload.Length).Error.Should().BeNull();
    }

    private static T Decode<T>(EventType<T> type, T value)
    {
        var decoded = CloudEventCodec.Decode(CloudEventCodec.Encode(type, value, "/test"), type);
        decoded.Error.Should().BeNull();
        return decoded.Value!;
    }
}
