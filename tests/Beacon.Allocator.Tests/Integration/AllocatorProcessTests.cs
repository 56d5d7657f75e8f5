using Beacon.Kube.Client;
using Beacon.Kube.Models;
using Beacon.TestSupport.Processes;

namespace Beacon.Allocator.Tests.Integration;

/// <summary>The real Allocator process against the test API server: what a cluster operator would observe.</summary>
[Collection(nameof(AllocatorProcessTests))]
public sealed class AllocatorProcessTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_service_gets_an_address_status_condition_annotations_and_an_event_and_other_classes_are_left_alone()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        cluster.SeedGroup("default", "192.168.1.0/24", "192.168.1.240-192.168.1.250");
        cluster.SeedService("web");
        cluster.SeedService("foreign", loadBalancerClass: "example.com/other");
        cluster.SeedService("wants-taken", annotations: new Dictionary<string, string> { ["purelb.io/addresses"] = "192.168.1.240" });
        var allocator = cluster.StartAllocator("a");

        var web = await AllocatorCluster.EventuallyAsync(() => cluster.Service("web")!, s => AllocatorCluster.AddressOf(s) is not null, Converge,
            _ => cluster.Transcripts());
        var ingress = web.Status!.LoadBalancer!.Ingress!.Single();
        ingress.IP.Should().BeOneOf("192.168.1.240", "192.168.1.241");
        ingress.IpMode.Should().Be("VIP");
        var condition = web.Status.Conditions!.Single(c => c.Type == "beacon.io/AddressAssigned");
        condition.Status.Should().Be("True");
        web.Metadata.Annotations.Should().Contain("purelb.io/allocated-from", "default").And.Contain("purelb.io/allocated-by", "Beacon");

        var taken = await AllocatorCluster.EventuallyAsync(() => cluster.Service("wants-taken")!,
            s => s.Status?.Conditions?.Any(c => c.Type == "beacon.io/AddressAssigned") == true, Converge, _ => cluster.Transcripts());
        if (AllocatorCluster.AddressOf(taken) is null)
        {
            taken.Status!.Conditions!.Single().Reason.Should().Be("AddressInUse");
            taken.Status.Conditions!.Single().Message.Should().Contain("default/web");
        }

        var events = await AllocatorCluster.EventuallyAsync(
            () => cluster.Server.Store.All(Beacon.KubeApiServer.ApiResourceCatalog.ById("events")).Select(e => e["reason"]?.GetValue<string>()).ToList(),
            e => e.Contains("AddressAssigned"), Converge, e => string.Join(",", e));
        events.Should().Contain("AddressAssigned");

        var group = await AllocatorCluster.EventuallyAsync(() => cluster.Group("default")!, g => g.Status?.Pools?.Count == 1, Converge, _ => cluster.Transcripts());
        group.Status!.Pools!.Single().Size.Should().Be(11);
        group.Status.Pools!.Single().Used.Should().BeGreaterThan(0);

        await allocator.WaitForListeningAsync(Converge);
        (await ServiceHttp.GetAsync(allocator, "/readyz")).StatusCode.Should().Be(200);
        var metrics = await AllocatorCluster.EventuallyAsync(() => ServiceHttp.GetAsync(allocator, "/metrics").GetAwaiter().GetResult().Body,
            b => b.Contains("beacon_allocator_services_pending 1", StringComparison.Ordinal) || b.Contains("beacon_allocator_services_allocated 2", StringComparison.Ordinal),
            Converge, b => b);
        metrics.Should().Contain("beacon_allocator_leader 1");

        var foreign = cluster.Service("foreign")!;
        foreign.Status?.LoadBalancer?.Ingress.Should().BeNullOrEmpty();
        foreign.Status?.Conditions.Should().BeNullOrEmpty();
        foreign.Metadata.Annotations.Should().BeNull();
    }

    [Fact]
    public async Task Deleting_a_service_frees_its_address_for_a_pending_one()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        cluster.SeedGroup("one", "10.1.0.0/24", "10.1.0.7-10.1.0.7");
        cluster.SeedService("first");
        cluster.StartAllocator("a");
        await AllocatorCluster.EventuallyAsync(() => cluster.Service("first")!, s => AllocatorCluster.AddressOf(s) == "10.1.0.7", Converge, _ => cluster.Transcripts());

        cluster.SeedService("second");
        var pending = await AllocatorCluster.EventuallyAsync(() => cluster.Service("second")!,
            s => s.Status?.Conditions?.Any(c => c.Reason == "PoolExhausted") == true, Converge, _ => cluster.Transcripts());
        pending.Status!.Conditions!.Single().Status.Should().Be("False");

        cluster.Server.Store.Delete(Beacon.KubeApiServer.ApiResourceCatalog.ById("services"), "default", "first");

        await AllocatorCluster.EventuallyAsync(() => cluster.Service("second")!, s => AllocatorCluster.AddressOf(s) == "10.1.0.7", Converge, _ => cluster.Transcripts());
    }
}
