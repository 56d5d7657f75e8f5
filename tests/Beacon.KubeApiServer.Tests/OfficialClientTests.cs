using System.Net;
using System.Text.Json.Nodes;
using Beacon.KubeApiServer;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace Beacon.KubeApiServer.Tests;

/// <summary>
/// The test API server as seen by the official KubernetesClient (issue #11): every verb and resource the Allocator
/// uses must work, in the shapes the library reads, with the errors a real API server gives.
/// </summary>
public sealed class OfficialClientTests : IAsyncLifetime
{
    private OfficialClientSession session = null!;

    private Kubernetes Client => session.Client;

    public async Task InitializeAsync() =>
        session = await OfficialClientSession.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });

    public Task DisposeAsync() => session.DisposeAsync().AsTask();

    private static V1Service LoadBalancer(string name, string ns = "apps") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer",
            Ports = [new V1ServicePort { Port = 80, Protocol = "TCP", TargetPort = 8080 }],
            Selector = new Dictionary<string, string> { ["app"] = name },
        },
    };

    [Fact]
    public async Task Services_create_read_list_and_merge_patch_round_trip_in_the_librarys_models()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(LoadBalancer("web"), "apps");
        created.Metadata.ResourceVersion.Should().NotBeNullOrEmpty();
        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Metadata.CreationTimestamp.Should().NotBeNull();

        var patched = await Client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"metadata":{"annotations":{"purelb.io/allocated-by":"Beacon"}}}""", V1Patch.PatchType.MergePatch), "web", "apps");
        patched.Metadata.Annotations.Should().Contain("purelb.io/allocated-by", "Beacon");
        patched.Spec.Ports.Single().TargetPort.Value.Should().Be("8080");

        var list = await Client.CoreV1.ListServiceForAllNamespacesAsync();
        list.Metadata.ResourceVersion.Should().NotBeNullOrEmpty();
        list.Items.Select(s => s.Metadata.Name).Should().Equal("web");
        (await Client.CoreV1.ReadNamespacedServiceAsync("web", "apps")).Metadata.Annotations.Should().ContainKey("purelb.io/allocated-by");
    }

    [Fact]
    public async Task Status_writes_go_to_the_status_subresource_with_optimistic_concurrency()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(LoadBalancer("web"), "apps");
        created.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "192.168.1.240", IpMode = "VIP" }] } };

        var written = await Client.CoreV1.ReplaceNamespacedServiceStatusAsync(created, "web", "apps");
        written.Status.LoadBalancer.Ingress.Single().Ip.Should().Be("192.168.1.240");
        written.Metadata.ResourceVersion.Should().NotBe(created.Metadata.ResourceVersion);

        // The stale copy loses: 409 Conflict, as from a real API server.
        var stale = async () => await Client.CoreV1.ReplaceNamespacedServiceStatusAsync(created, "web", "apps");
        (await stale.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);

        // A status merge patch changes status only.
        var patched = await Client.CoreV1.PatchNamespacedServiceStatusAsync(
            new V1Patch("""{"status":{"loadBalancer":{"ingress":[{"ip":"192.168.1.241","ipMode":"VIP"}]}},"spec":{"type":"ClusterIP"}}""", V1Patch.PatchType.MergePatch),
            "web", "apps");
        patched.Status.LoadBalancer.Ingress.Single().Ip.Should().Be("192.168.1.241");
        patched.Spec.Type.Should().Be("LoadBalancer");
    }

    [Fact]
    public async Task A_watch_from_the_lists_resourceVersion_sees_changes_and_bookmarks()
    {
        var list = await Client.CoreV1.ListServiceForAllNamespacesAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<(WatchEventType Type, string? Name, string Version)>();
        var errors = new List<Exception>();
        var creating = Task.Run(async () => await Client.CoreV1.CreateNamespacedServiceAsync(LoadBalancer("web"), "apps", cancellationToken: stop.Token));
        await foreach (var (type, item) in Client.CoreV1.WatchListServiceForAllNamespacesAsync(
                           allowWatchBookmarks: true, resourceVersion: list.Metadata.ResourceVersion, onError: errors.Add, cancellationToken: stop.Token))
        {
            seen.Add((type, item.Metadata?.Name, item.Metadata?.ResourceVersion ?? ""));
            if (seen.Any(s => s.Type == WatchEventType.Added) && seen.Any(s => s.Type == WatchEventType.Bookmark))
            {
                break;
            }
        }

        errors.Should().BeEmpty();
        await creating;
        seen.Should().Contain(s => s.Type == WatchEventType.Added && s.Name == "web");
        seen.Last(s => s.Type == WatchEventType.Bookmark).Version.Should().NotBeEmpty("a bookmark carries the version to resume from");
    }

    [Fact]
    public async Task EndpointSlices_Nodes_and_Namespaces_list_in_the_librarys_models()
    {
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "apps", Labels = new Dictionary<string, string> { ["team"] = "a" } } });
        await Client.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "node-1" },
            Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "192.168.1.10" }] },
        });
        await Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "web-abc", NamespaceProperty = "apps", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "web" } },
            AddressType = "IPv4",
            Endpoints = [new V1Endpoint { Addresses = ["10.244.1.5"], NodeName = "node-1", Conditions = new V1EndpointConditions { Ready = true } }],
        }, "apps");

        (await Client.CoreV1.ListNamespaceAsync()).Items.Single(n => n.Metadata.Name == "apps").Metadata.Labels.Should().Contain("team", "a");
        (await Client.CoreV1.ListNodeAsync()).Items.Single().Status.Addresses.Single().Address.Should().Be("192.168.1.10");
        var slice = (await Client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync()).Items.Single();
        slice.Endpoints.Single().NodeName.Should().Be("node-1");
        slice.Endpoints.Single().Conditions.Ready.Should().BeTrue();
    }

    [Fact]
    public async Task Events_are_created_and_listed()
    {
        var created = await Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.1", NamespaceProperty = "apps" },
            InvolvedObject = new V1ObjectReference { Kind = "Service", Name = "web", NamespaceProperty = "apps", ApiVersion = "v1" },
            Reason = "AddressAssigned",
            Message = "Assigned 192.168.1.240",
            Type = "Normal",
            Count = 1,
            Source = new V1EventSource { Component = "beacon-allocator" },
            FirstTimestamp = DateTime.UtcNow,
            LastTimestamp = DateTime.UtcNow,
        }, "apps");
        created.Metadata.ResourceVersion.Should().NotBeNullOrEmpty();

        var patched = await Client.CoreV1.PatchNamespacedEventAsync(new V1Patch("""{"count":2}""", V1Patch.PatchType.MergePatch), "web.1", "apps");
        patched.Count.Should().Be(2);
        (await Client.CoreV1.ListNamespacedEventAsync("apps")).Items.Single().Reason.Should().Be("AddressAssigned");
    }

    [Fact]
    public async Task The_librarys_leader_election_takes_a_Lease_on_this_server()
    {
        var elected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(Client, "beacon-system", "beacon-allocator", "replica-a"))
        {
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromMilliseconds(1500),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
        });
        elector.OnStartedLeading += () => elected.TrySetResult();
        using var stop = new CancellationTokenSource();
        var running = elector.RunAndTryToHoldLeadershipForeverAsync(stop.Token);

        await elected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var lease = await Client.CoordinationV1.ReadNamespacedLeaseAsync("beacon-allocator", "beacon-system");
        lease.Spec.HolderIdentity.Should().Be("replica-a");
        lease.Spec.LeaseDurationSeconds.Should().Be(2);

        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task ServiceGroups_work_through_the_custom_object_client_including_status()
    {
        var group = JsonNode.Parse("""
            {"apiVersion":"purelb.io/v1","kind":"ServiceGroup","metadata":{"name":"lan","namespace":"beacon-system"},
             "spec":{"local":{"v4pool":{"subnet":"192.168.1.0/24","pool":"192.168.1.240-192.168.1.250","aggregation":"default"}}}}
            """)!;
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(group, "purelb.io", "v1", "beacon-system", "servicegroups");

        var list = await Client.CustomObjects.ListClusterCustomObjectAsync<JsonObject>("purelb.io", "v1", "servicegroups");
        list["items"]!.AsArray().Single()!["spec"]!["local"]!["v4pool"]!["pool"]!.GetValue<string>().Should().Be("192.168.1.240-192.168.1.250");

        var status = new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False","reason":"Invalid","message":"spec.local.v4pool.pool: reversed"}]}}""",
            V1Patch.PatchType.MergePatch);
        await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(status, "purelb.io", "v1", "beacon-system", "servicegroups", "lan");
        var read = await Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("purelb.io", "v1", "beacon-system", "servicegroups", "lan");
        read["status"]!["conditions"]![0]!["reason"]!.GetValue<string>().Should().Be("Invalid");
        read["spec"]!["local"].Should().NotBeNull("a status write leaves spec alone");
    }

    [Fact]
    public async Task A_name_a_real_API_server_refuses_is_refused_with_422()
    {
        var bad = async () => await Client.CoreV1.CreateNamespacedServiceAsync(LoadBalancer("Not_Valid"), "apps");
        (await bad.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var badNamespace = async () => await Client.CoreV1.CreateNamespacedServiceAsync(LoadBalancer("web", "Apps"), "Apps");
        // A real server answers 404 (no such namespace can exist) or 422; either way nothing is stored.
        (await badNamespace.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().BeOneOf(HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound);
        (await Client.CoreV1.ListServiceForAllNamespacesAsync()).Items.Should().BeEmpty();
    }
}
