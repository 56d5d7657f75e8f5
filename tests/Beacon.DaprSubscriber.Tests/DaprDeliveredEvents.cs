using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Beacon.Contracts;

namespace Beacon.DaprSubscriber.Tests;

/// <summary>
/// Beacon events as the Dapr sidecar posts them to the app: the envelope the Allocator published (it already is a
/// CloudEvent, so Dapr keeps it) plus the attributes Dapr adds, with content type application/cloudevents+json.
/// </summary>
internal static class DaprDeliveredEvents
{
    public static ServiceKey Web { get; } = new("shop", "web");

    public static AllocationChanged Changed(ServiceKey service, long sequence, string address, string epoch = "epoch-1") => new(
        service,
        [new AllocatedAddress(address, 24, IpFamily.IPv4, AddressPlacement.Local, "lan", "192.0.2.0/24", null)],
        "lan",
        [new ServicePort(443, "TCP")],
        TrafficPolicy.Cluster,
        ["node-a", "node-b"],
        null,
        sequence,
        epoch);

    public static HttpContent Delivered<T>(EventType<T> type, T data, ServiceKey service) =>
        AsDaprDelivers(CloudEventCodec.Encode(type, data, EventSources.Allocator, service.ToString()), Subjects.Allocation(service));

    public static HttpContent AsDaprDelivers(byte[] published, string subject)
    {
        var envelope = JsonNode.Parse(published)!.AsObject();
        envelope["pubsubname"] = "beacon";
        envelope["topic"] = "beacon.v1.allocations.>";
        envelope["traceid"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        envelope["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        envelope["tracestate"] = "";
        var content = new StringContent(envelope.ToJsonString());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        content.Headers.Add("Metadata.subject", string.Create(CultureInfo.InvariantCulture, $"{subject}"));
        return content;
    }
}
