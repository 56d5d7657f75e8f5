using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Beacon.Contracts;
using Microsoft.AspNetCore.Mvc.Testing;
using static Beacon.DaprSubscriber.Tests.DaprDeliveredEvents;

namespace Beacon.DaprSubscriber.Tests;

public sealed class AllocationSubscriptionTests : IDisposable
{
    private readonly WebApplicationFactory<Program> _app = new();
    private readonly HttpClient _client;

    public AllocationSubscriptionTests() => _client = _app.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task The_sidecar_is_told_to_subscribe_the_allocation_subjects_of_the_beacon_component_to_the_endpoint()
    {
        var subscriptions = JsonNode.Parse(await _client.GetStringAsync("/dapr/subscribe"))!.AsArray();

        var subscription = subscriptions.Should().ContainSingle().Subject!;
        subscription["pubsubName"]!.GetValue<string>().Should().Be("beacon");
        subscription["topic"]!.GetValue<string>().Should().Be(Subjects.AllAllocations);
        // The sidecar posts to this path on the app (Dapr.AspNetCore lists it without the leading slash).
        subscription["route"]!.GetValue<string>().TrimStart('/').Should().Be("beacon/allocations");
    }

    [Fact]
    public async Task A_delivered_allocation_change_is_acknowledged_and_shows_the_services_address()
    {
        var response = await _client.PostAsync("/beacon/allocations", Delivered(EventTypes.AllocationChanged, Changed(Web, 1, "192.0.2.10"), Web));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Status(response)).Should().Be("SUCCESS");
        var services = await Services();
        services.Should().ContainSingle();
        services[0]!["service"]!["name"]!.GetValue<string>().Should().Be("web");
        services[0]!["addresses"]![0]!["address"]!.GetValue<string>().Should().Be("192.0.2.10");
    }

    [Fact]
    public async Task A_release_removes_the_service_and_a_redelivered_older_change_does_not_bring_it_back()
    {
        await _client.PostAsync("/beacon/allocations", Delivered(EventTypes.AllocationChanged, Changed(Web, 1, "192.0.2.10"), Web));
        await _client.PostAsync("/beacon/allocations", Delivered(EventTypes.AllocationChanged, Changed(Web, 2, "192.0.2.11"), Web));
        (await Services())[0]!["addresses"]![0]!["address"]!.GetValue<string>().Should().Be("192.0.2.11");

        var released = await _client.PostAsync("/beacon/allocations", Delivered(EventTypes.AllocationReleased, new AllocationReleased(Web, 3, "epoch-1"), Web));
        (await Status(released)).Should().Be("SUCCESS");
        (await Services()).Should().BeEmpty();

        var redelivered = await _client.PostAsync("/beacon/allocations", Delivered(EventTypes.AllocationChanged, Changed(Web, 2, "192.0.2.11"), Web));
        (await Status(redelivered)).Should().Be("SUCCESS", "it was handled (and ignored), so Dapr must not redeliver it again");
        (await Services()).Should().BeEmpty();

        // A new Allocator leader starts a new epoch, whose sequence numbers start over.
        await _client.PostAsync("/beacon/allocations", Delivered(EventTypes.AllocationChanged, Changed(Web, 1, "192.0.2.12", "epoch-2"), Web));
        (await Services())[0]!["addresses"]![0]!["address"]!.GetValue<string>().Should().Be("192.0.2.12");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.beacon.allocation.changed.v1\",\"data\":{\"service\":42}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.beacon.allocation.changed.v2\",\"data\":{}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/beacon/nodes/a/agent\",\"type\":\"io.beacon.node.heartbeat.v1\",\"data\":{}}")]
    public async Task A_message_that_is_not_a_usable_allocation_event_is_dropped_without_changing_the_view(string body)
    {
        await _client.PostAsync("/beacon/allocations", Delivered(EventTypes.AllocationChanged, Changed(Web, 1, "192.0.2.10"), Web));

        using var content = new StringContent(body, Encoding.UTF8, "application/cloudevents+json");
        var response = await _client.PostAsync("/beacon/allocations", content);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "a non-2xx reply makes Dapr redeliver a message that can never succeed");
        (await Status(response)).Should().Be("DROP");
        (await Services()).Should().ContainSingle();
    }

    private static async Task<string> Status(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>();

    private async Task<JsonArray> Services() => JsonNode.Parse(await _client.GetStringAsync("/beacon/allocations"))!.AsArray();
}
