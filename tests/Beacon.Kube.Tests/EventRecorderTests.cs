using k8s;
using Beacon.Kube.Client;
using Beacon.Kube.Events;
using Beacon.Kube.Models;

namespace Beacon.Kube.Tests;

public sealed class EventRecorderTests
{
    [Fact]
    public async Task Records_an_event_about_the_object_with_reason_message_and_source()
    {
        await using var cluster = await TestCluster.StartAsync();
        var service = await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("web", "shop"));
        var recorder = new EventRecorder(cluster.Kubernetes, new EventRecorderOptions { Component = "beacon-allocator", Host = "node-1" });

        await recorder.RecordAsync(service, EventTypes.Normal, "AddressAssigned", "Assigned 192.0.2.10 from group default");

        var recorded = cluster.Server.ReadAll(KubeResources.Events).Should().ContainSingle().Subject;
        recorded.Metadata.Namespace.Should().Be("web");
        recorded.InvolvedObject.Name.Should().Be("shop");
        recorded.InvolvedObject.Kind.Should().Be("Service");
        recorded.InvolvedObject.Uid.Should().Be(service.Metadata.Uid);
        recorded.Reason.Should().Be("AddressAssigned");
        recorded.Message.Should().Be("Assigned 192.0.2.10 from group default");
        recorded.Type.Should().Be("Normal");
        recorded.Count.Should().Be(1);
        recorded.Source!.Component.Should().Be("beacon-allocator");
        recorded.ReportingComponent.Should().Be("beacon-allocator");
    }

    [Fact]
    public async Task Repeats_within_the_window_bump_the_count_instead_of_creating_events()
    {
        await using var cluster = await TestCluster.StartAsync();
        var service = await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("web", "shop"));
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var recorder = new EventRecorder(cluster.Kubernetes, new EventRecorderOptions { DeduplicationWindow = TimeSpan.FromMinutes(10) }, time: clock);

        await recorder.RecordAsync(service, EventTypes.Warning, "GroupExhausted", "no free address in group default");
        clock.Advance(TimeSpan.FromMinutes(1));
        await recorder.RecordAsync(service, EventTypes.Warning, "GroupExhausted", "no free address in group default");
        clock.Advance(TimeSpan.FromMinutes(1));
        await recorder.RecordAsync(service, EventTypes.Warning, "GroupExhausted", "no free address in group default");
        await recorder.RecordAsync(service, EventTypes.Warning, "GroupExhausted", "no free address in group other");

        var events = cluster.Server.ReadAll(KubeResources.Events);
        events.Should().HaveCount(2, "a different message is a different event");
        var repeated = events.Single(e => e.Message!.EndsWith("default", StringComparison.Ordinal));
        repeated.Count.Should().Be(3);
        repeated.FirstTimestamp.Should().Be(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        repeated.LastTimestamp.Should().Be(new DateTimeOffset(2026, 1, 1, 12, 2, 0, TimeSpan.Zero));
        cluster.Server.Requests.Count("create", "events").Should().Be(2);
        cluster.Server.Requests.Count("patch", "events").Should().Be(2);
    }

    [Fact]
    public async Task After_the_window_or_when_the_event_is_gone_a_new_event_is_created()
    {
        await using var cluster = await TestCluster.StartAsync();
        var service = await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("web", "shop"));
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var recorder = new EventRecorder(cluster.Kubernetes, new EventRecorderOptions { DeduplicationWindow = TimeSpan.FromMinutes(5) }, time: clock);

        await recorder.RecordAsync(service, EventTypes.Normal, "AddressAssigned", "same");
        clock.Advance(TimeSpan.FromMinutes(6));
        await recorder.RecordAsync(service, EventTypes.Normal, "AddressAssigned", "same");
        cluster.Server.ReadAll(KubeResources.Events).Should().HaveCount(2).And.OnlyContain(e => e.Count == 1);

        foreach (var e in cluster.Server.ReadAll(KubeResources.Events))
        {
            await cluster.Kubernetes.CoreV1.DeleteNamespacedEventAsync(e.Metadata.Name!, e.Metadata.Namespace);
        }

        await recorder.RecordAsync(service, EventTypes.Normal, "AddressAssigned", "same");
        cluster.Server.ReadAll(KubeResources.Events).Should().ContainSingle().Which.Count.Should().Be(1);
    }

    [Fact]
    public async Task Memory_stays_bounded_and_forgotten_series_simply_start_a_new_event()
    {
        await using var cluster = await TestCluster.StartAsync();
        var recorder = new EventRecorder(cluster.Kubernetes, new EventRecorderOptions { MaxTracked = 10 });
        var services = Enumerable.Range(0, 30).Select(i => cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("web", $"s{i}"))).ToList();

        foreach (var service in services)
        {
            await recorder.RecordAsync(service, EventTypes.Normal, "AddressAssigned", "x");
        }

        await recorder.RecordAsync(services[^1], EventTypes.Normal, "AddressAssigned", "x");

        cluster.Server.ReadAll(KubeResources.Events).Should().HaveCount(30);
        cluster.Server.ReadAll(KubeResources.Events).Single(e => e.InvolvedObject.Name == "s29").Count.Should().Be(2, "the most recent series is still remembered");
        cluster.Server.Requests.Count("create", "events").Should().Be(30);
    }

    [Fact]
    public async Task Api_failures_are_logged_not_thrown()
    {
        await using var cluster = await TestCluster.StartAsync();
        var service = await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("web", "shop"));
        var recorder = new EventRecorder(cluster.Kubernetes);
        cluster.Server.Faults.FailNext(1, "/events");

        var record = () => recorder.RecordAsync(service, EventTypes.Normal, "AddressAssigned", "x");

        await record.Should().NotThrowAsync();
        cluster.Server.ReadAll(KubeResources.Events).Should().BeEmpty();
        await recorder.RecordAsync(service, EventTypes.Normal, "AddressAssigned", "x");
        cluster.Server.ReadAll(KubeResources.Events).Should().ContainSingle();
    }
}
