using System.Text;
using System.Text.Json;
using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>The replica's one-pass envelope reader decides exactly as the CloudEvents SDK does, whatever the bytes.</summary>
public sealed class AllocationMessageTests
{
    private static readonly AllocationChanged Change = SampleAllocations.For(5, variant: 1) with { Sequence = 42, Epoch = "20261130T010000Z-0123abcd" };
    private static readonly string Subject = Subjects.Allocation(Change.Service);
    private static readonly byte[] Changed = CloudEventCodec.Encode(EventTypes.AllocationChanged, Change, EventSources.Allocator, Change.Service.ToString());
    private static readonly byte[] Released = CloudEventCodec.Encode(
        EventTypes.AllocationReleased, new AllocationReleased(Change.Service, 43, Change.Epoch), EventSources.Allocator, Change.Service.ToString());

    private static readonly byte[] Noise = "\"{},:\\ 0Zx"u8.ToArray().Concat(new byte[] { 0, 0xFF }).ToArray();

    [Fact]
    public void Beacons_own_envelopes_are_read_in_one_pass_with_the_same_result_as_the_sdk()
    {
        foreach (var payload in new[] { Changed, Released })
        {
            PlainEnvelopeReader.TryRead(payload, out _).Should().BeTrue();
            Outcome(payload, onePass: true).Should().Be(Outcome(payload, onePass: false));
        }

        Outcome(Changed, onePass: true).Should().Contain("changed 42");
    }

    [Fact]
    public void Beacons_own_allocation_data_is_read_in_one_pass_into_shared_strings_and_lists()
    {
        var dualStack = Change with
        {
            Addresses =
            [
                new AllocatedAddress("192.0.2.10", 32, IpFamily.IPv4, AddressPlacement.Remote, "edge", "192.0.2.0/24", 24),
                new AllocatedAddress("2001:db8::10", 128, IpFamily.IPv6, AddressPlacement.Remote, "edge", "2001:db8::/64", null),
            ],
            ServiceGroup = null,
            Ports = [],
            ReadyNodes = [],
            SharingKey = "shared-1",
        };
        var interner = new AllocationInterner();
        foreach (var change in new[] { Change, dualStack })
        {
            var data = JsonSerializer.SerializeToUtf8Bytes(change, ContractsJsonContext.Default.AllocationChanged);
            AllocationDataReader.TryRead(data, interner, out var read).Should().BeTrue();
            AllocationContent.Same(read!, change).Should().BeTrue();
            (read!.Sequence, read.Epoch).Should().Be((change.Sequence, change.Epoch));
            AllocationDataReader.TryRead(data, interner, out var again).Should().BeTrue();
            again!.ReadyNodes.Should().BeSameAs(read.ReadyNodes);
            again.Ports.Should().BeSameAs(read.Ports);
            again.Epoch.Should().BeSameAs(read.Epoch);
            again.Service.Namespace.Should().BeSameAs(read.Service.Namespace);
        }
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","id":"1","source":"beacon/allocator","type":"io.beacon.allocation.changed.v1","x":"ext","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"beacon/allocator","type":"io.beacon.allocation.changed.v1","data_base64":"e30="}""")]
    [InlineData("""{"specversion":"1.0","id":"1","id":"2","source":"beacon/allocator","type":"io.beacon.allocation.changed.v1","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"beacon/allocator","type":"t","time":"2026-11-30T01:00:00","data":{}}""")]
    [InlineData("""{"specversion":"1.1","id":"1","source":"beacon/allocator","type":"io.beacon.allocation.changed.v1","data":{}}""")]
    public void Anything_but_the_plain_form_is_left_to_the_sdk(string json) =>
        PlainEnvelopeReader.TryRead(Encoding.UTF8.GetBytes(json), out _).Should().BeFalse();

    [Theory]
    [InlineData(" ")]
    [InlineData("\n")]
    [InlineData(",\"x\":1}")]
    [InlineData(",\"type\":\"io.beacon.allocation.released.v1\"}")]
    [InlineData(",\"data\":{}}")]
    [InlineData("}")]
    public void Anything_after_the_data_gets_the_same_event_or_error_kind_from_both_readers(string tail)
    {
        // The one-pass reader takes everything up to the closing brace as the data: what follows the data must still
        // be judged as the SDK judges it (whitespace after the envelope, attributes after the data, a second closing brace).
        var text = Encoding.UTF8.GetString(Changed);
        var payload = Encoding.UTF8.GetBytes(tail.StartsWith(',') ? text[..^1] + tail : text + tail);
        Outcome(payload, onePass: true).Should().Be(Outcome(payload, onePass: false));
    }

    [Property(MaxTest = 3000)]
    public Property A_damaged_envelope_gets_the_same_event_or_error_kind_from_both_readers()
    {
        var damage = Gen.Elements(Changed, Released).SelectMany(payload => Gen.OneOf(
            Gen.Choose(0, payload.Length - 1).Select(at => payload[..at]),
            Gen.Choose(0, payload.Length - 1).SelectMany(at => Gen.Elements(Noise).Select(b => Replace(payload, at, b)))));
        return Prop.ForAll(damage.ToArbitrary(), payload => Outcome(payload, onePass: true) == Outcome(payload, onePass: false));
    }

    private static byte[] Replace(byte[] payload, int at, byte value)
    {
        var copy = (byte[])payload.Clone();
        copy[at] = value;
        return copy;
    }

    private static string Outcome(byte[] payload, bool onePass)
    {
        var (e, error) = AllocationMessage.Decode(new BusMessage(Subject, null, payload), CloudEventCodec.DefaultMaxBytes, onePass: onePass);
        if (error is not null)
        {
            return "error " + error.Kind;
        }

        var content = e!.Change is null ? "" : System.Text.Json.JsonSerializer.Serialize(e.Change, ContractsJsonContext.Default.AllocationChanged);
        return $"{(e.IsRelease ? "released" : "changed")} {e.Sequence} {e.Epoch} {e.Service} {content}";
    }
}
