using System.Net;
using System.Text.Json.Nodes;
using Beacon.Kube.Client;
using Beacon.Kube.CustomResources;
using Beacon.Kube.Informers;
using Beacon.Kube.Json;
using Beacon.Kube.Library;
using Beacon.Kube.Models;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Beacon.Kube.Tests;

/// <summary>
/// The verbs the Allocator uses, through the official client against the test API server, with what Beacon adds on
/// top (optimistic re-read on 409, records mapped at the edge, typed custom resources).
/// </summary>
public sealed class LibraryWriteTests
{
    private static V1Service LoadBalancer(string @namespace, string name) =>
        ModelMapping.ToLibrary<V1Service, Service>(TestCluster.LoadBalancer(@namespace, name), KubeJsonContext.Default.Service);

    [Fact]
    public async Task Create_get_update_delete_round_trip_over_http()
    {
        await using var cluster = await TestCluster.StartAsync();
        var api = cluster.Kubernetes.CoreV1;
        var created = await api.CreateNamespacedServiceAsync(LoadBalancer("web", "shop"), "web");

        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Metadata.Generation.Should().Be(1);
        created.Metadata.CreationTimestamp.Should().NotBeNull();
        var fetched = await api.ReadNamespacedServiceAsync("shop", "web");
        fetched.Spec.Ports[0].TargetPort.Value.Should().Be("8080");

        fetched.Spec.LoadBalancerClass = "purelb.io/purelb";
        var updated = await api.ReplaceNamespacedServiceAsync(fetched, "shop", "web");
        long.Parse(updated.Metadata.ResourceVersion).Should().BeGreaterThan(long.Parse(created.Metadata.ResourceVersion));
        updated.Metadata.Generation.Should().Be(2, "a spec change bumps the generation");

        await api.DeleteNamespacedServiceAsync("shop", "web");
        var missing = () => api.ReadNamespacedServiceAsync("shop", "web");
        (await missing.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Creating_an_existing_object_is_a_409_AlreadyExists()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kubernetes.CoreV1.CreateNamespacedServiceAsync(LoadBalancer("web", "shop"), "web");

        var again = () => cluster.Kubernetes.CoreV1.CreateNamespacedServiceAsync(LoadBalancer("web", "shop"), "web");

        var thrown = (await again.Should().ThrowAsync<HttpOperationException>()).Which;
        thrown.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        thrown.Response.Content.Should().Contain("AlreadyExists");
    }

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_a_conflict_carrying_the_server_message()
    {
        await using var cluster = await TestCluster.StartAsync();
        var api = cluster.Kubernetes.CoreV1;
        var original = await api.CreateNamespacedServiceAsync(LoadBalancer("web", "shop"), "web");
        var first = await api.ReadNamespacedServiceAsync("shop", "web");
        first.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "a" };
        await api.ReplaceNamespacedServiceAsync(first, "shop", "web");

        original.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "b" };
        var stale = () => api.ReplaceNamespacedServiceAsync(original, "shop", "web");

        var thrown = (await stale.Should().ThrowAsync<HttpOperationException>()).Which;
        ApiStatus.IsConflict(thrown).Should().BeTrue();
        thrown.Response.Content.Should().Contain("the object has been modified");
        (await api.ReadNamespacedServiceAsync("shop", "web")).Metadata.Labels["tier"].Should().Be("a");
    }

    [Fact]
    public async Task Main_resource_update_ignores_status_and_status_update_ignores_spec()
    {
        await using var cluster = await TestCluster.StartAsync();
        var api = cluster.Kubernetes.CoreV1;
        var service = await api.CreateNamespacedServiceAsync(LoadBalancer("web", "shop"), "web");

        service.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "192.0.2.10" }] } };
        service.Spec.LoadBalancerIP = "192.0.2.99";
        var afterMain = await api.ReplaceNamespacedServiceAsync(service, "shop", "web");
        afterMain.Status?.LoadBalancer?.Ingress.Should().BeNullOrEmpty("PUT on the main resource must not change status");
        afterMain.Spec.LoadBalancerIP.Should().Be("192.0.2.99");

        afterMain.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "192.0.2.10", IpMode = "VIP" }] } };
        afterMain.Spec.LoadBalancerIP = "192.0.2.1";
        var afterStatus = await api.ReplaceNamespacedServiceStatusAsync(afterMain, "shop", "web");
        afterStatus.Status.LoadBalancer.Ingress[0].Ip.Should().Be("192.0.2.10");
        afterStatus.Status.LoadBalancer.Ingress[0].IpMode.Should().Be("VIP");
        afterStatus.Spec.LoadBalancerIP.Should().Be("192.0.2.99", "PUT on /status must not change spec");
        afterStatus.Metadata.Generation.Should().Be(afterMain.Metadata.Generation, "status writes do not bump generation");
    }

    [Fact]
    public async Task Optimistic_status_writes_survive_concurrent_writers_without_losing_updates()
    {
        await using var cluster = await TestCluster.StartAsync();
        var api = cluster.Kubernetes.CoreV1;
        var created = await api.CreateNamespacedServiceAsync(LoadBalancer("web", "shop"), "web");

        // Ten writers each append their own condition from the same stale copy; re-reading on 409 must keep all ten.
        var writers = Enumerable.Range(0, 10).Select(i => OptimisticWrite.RunAsync(Copy(created),
            ct => api.ReadNamespacedServiceAsync("shop", "web", cancellationToken: ct),
            svc =>
            {
                svc.Status ??= new V1ServiceStatus();
                svc.Status.Conditions ??= [];
                svc.Status.Conditions.Add(new V1Condition { Type = $"Writer{i}", LastTransitionTime = DateTime.UtcNow, Message = "m", Reason = "Test", Status = "True" });
                return true;
            },
            (svc, ct) => api.ReplaceNamespacedServiceStatusAsync(svc, "shop", "web", cancellationToken: ct), 50, CancellationToken.None));
        await Task.WhenAll(writers);

        var final = await api.ReadNamespacedServiceAsync("shop", "web");
        final.Status.Conditions.Select(c => c.Type).Should().BeEquivalentTo(Enumerable.Range(0, 10).Select(i => $"Writer{i}"));
        cluster.Server.Requests.Count("update", "services/status").Should().BeGreaterThanOrEqualTo(10);
    }

    [Fact]
    public async Task An_optimistic_write_from_a_current_copy_costs_one_request_and_rereads_only_after_a_conflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        var api = cluster.Kubernetes.CoreV1;
        var cached = await api.CreateNamespacedServiceAsync(LoadBalancer("web", "shop"), "web");
        Task<V1Service> Write(string ip) => OptimisticWrite.RunAsync(Copy(cached),
            ct => api.ReadNamespacedServiceAsync("shop", "web", cancellationToken: ct),
            svc =>
            {
                svc.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = ip }] } };
                return true;
            },
            (svc, ct) => api.ReplaceNamespacedServiceStatusAsync(svc, "shop", "web", cancellationToken: ct), 10, CancellationToken.None);

        await Write("192.0.2.10");
        cluster.Server.Requests.Count("get", "services").Should().Be(0);

        // The copy is now stale: the first write conflicts, then a fresh read succeeds.
        await Write("192.0.2.11");
        cluster.Server.Requests.Count("get", "services").Should().Be(1);
        (await api.ReadNamespacedServiceAsync("shop", "web")).Status.LoadBalancer.Ingress[0].Ip.Should().Be("192.0.2.11");
    }

    [Fact]
    public async Task An_optimistic_write_that_changes_nothing_is_not_sent()
    {
        await using var cluster = await TestCluster.StartAsync();
        var api = cluster.Kubernetes.CoreV1;
        var created = await api.CreateNamespacedServiceAsync(LoadBalancer("web", "shop"), "web");

        await OptimisticWrite.RunAsync(created, ct => api.ReadNamespacedServiceAsync("shop", "web", cancellationToken: ct), _ => false,
            (svc, ct) => api.ReplaceNamespacedServiceStatusAsync(svc, "shop", "web", cancellationToken: ct), 10, CancellationToken.None);

        cluster.Server.Requests.Count("update", "services/status").Should().Be(0);
    }

    [Fact]
    public async Task Merge_patch_adds_and_removes_annotations_and_keeps_the_rest()
    {
        await using var cluster = await TestCluster.StartAsync();
        var service = LoadBalancer("web", "shop");
        service.Metadata.Annotations = new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2" };
        await cluster.Kubernetes.CoreV1.CreateNamespacedServiceAsync(service, "web");

        var patch = """{"metadata":{"annotations":{"purelb.io/allocated-from":"default","drop":null},"labels":{"team":"blue"}}}""";
        var patched = await cluster.Kubernetes.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "shop", "web");

        patched.Metadata.Annotations.Should().BeEquivalentTo(new Dictionary<string, string> { ["keep"] = "1", ["purelb.io/allocated-from"] = "default" });
        patched.Metadata.Labels.Should().ContainKey("team");
        patched.Spec.Ports.Should().HaveCount(1);
    }

    [Fact]
    public async Task Merge_patch_on_status_changes_only_status()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kubernetes.CoreV1.CreateNamespacedServiceAsync(LoadBalancer("web", "shop"), "web");

        var patch = """{"spec":{"loadBalancerIP":"192.0.2.5"},"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.7"}]}}}""";
        var patched = await cluster.Kubernetes.CoreV1.PatchNamespacedServiceStatusAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "shop", "web");

        patched.Status.LoadBalancer.Ingress[0].Ip.Should().Be("192.0.2.7");
        patched.Spec.LoadBalancerIP.Should().BeNull();
    }

    [Fact]
    public async Task Paged_list_returns_every_object_exactly_once_with_the_snapshot_version()
    {
        await using var cluster = await TestCluster.StartAsync();
        for (var i = 0; i < 23; i++)
        {
            cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer($"ns{i % 3}", $"svc-{i:D2}"));
        }

        var firstPage = await cluster.Kubernetes.CoreV1.ListServiceForAllNamespacesAsync(limit: 10);
        firstPage.Items.Should().HaveCount(10);
        firstPage.Metadata.ContinueProperty.Should().NotBeNullOrEmpty();

        var all = await ListWatches.Services(cluster.Kubernetes).ListAsync(10, CancellationToken.None);
        all.Items.Select(s => s.Metadata.Name).Should().OnlyHaveUniqueItems().And.HaveCount(23);
        all.ResourceVersion.Should().Be(cluster.Server.Store.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        cluster.Server.Requests.Count("list", "services").Should().Be(4, "one page request above plus three pages of ten");
    }

    [Fact]
    public async Task List_filters_by_namespace_label_selector_and_field_selector()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "one", new() { ["tier"] = "web" }));
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "two", new() { ["tier"] = "db" }));
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("b", "three", new() { ["tier"] = "web" }));
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("b", "four"));
        var api = cluster.Kubernetes.CoreV1;
        async Task<IEnumerable<string>> Names(string? labels = null, string? fields = null) =>
            (await api.ListServiceForAllNamespacesAsync(labelSelector: labels, fieldSelector: fields)).Items.Select(s => s.Metadata.Name);

        (await api.ListNamespacedServiceAsync("a")).Items.Select(s => s.Metadata.Name).Should().BeEquivalentTo("one", "two");
        (await Names("tier=web")).Should().BeEquivalentTo("one", "three");
        (await Names("tier in (web,db),tier!=db")).Should().HaveCount(2);
        (await Names("!tier")).Should().Equal("four");
        (await Names(fields: "metadata.name=three")).Should().ContainSingle();
        (await Names(fields: "metadata.namespace!=a")).Should().HaveCount(2);

        var bad = () => Names("tier in (web");
        var thrown = (await bad.Should().ThrowAsync<HttpOperationException>()).Which;
        thrown.Response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        thrown.Response.Content.Should().Contain("tier in (web");
    }

    [Fact]
    public async Task Fields_neither_model_knows_survive_a_whole_object_status_write_through_the_records()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kubernetes.CoreV1.CreateNamespacedServiceAsync(LoadBalancer("web", "shop"), "web");
        cluster.Server.Store.Patch(KubeApiServer.KubeApiTestServer.Info(KubeResources.Services), "web", "shop",
            JsonNode.Parse("""{"metadata":{"managedFields":[{"manager":"kubectl"}]},"spec":{"sessionAffinity":"ClientIP","healthCheckNodePort":31000,"ports":[{"port":80,"protocol":"TCP","futurePortField":"x"}]}}""")!, statusOnly: false);

        // As the Allocator writes: library object → Beacon record → decision → library object → PUT /status.
        var record = ModelMapping.ToRecord(await cluster.Kubernetes.CoreV1.ReadNamespacedServiceAsync("shop", "web"), KubeJsonContext.Default.Service);
        record.Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = "192.0.2.1" }] } };
        await cluster.Kubernetes.CoreV1.ReplaceNamespacedServiceStatusAsync(ModelMapping.ToLibrary<V1Service, Service>(record, KubeJsonContext.Default.Service), "shop", "web");
        var fetched = await cluster.Kubernetes.CoreV1.ReadNamespacedServiceAsync("shop", "web");
        fetched.Spec.LoadBalancerClass = "x";
        await cluster.Kubernetes.CoreV1.ReplaceNamespacedServiceAsync(fetched, "shop", "web");

        var stored = cluster.Server.Store.Get(KubeApiServer.KubeApiTestServer.Info(KubeResources.Services), "web", "shop");
        ((string?)stored["spec"]!["sessionAffinity"]).Should().Be("ClientIP");
        ((int?)stored["spec"]!["healthCheckNodePort"]).Should().Be(31000);
        stored["metadata"]!["managedFields"].Should().NotBeNull();
        ((string?)stored["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]).Should().Be("192.0.2.1");
        ((string?)stored["spec"]!["loadBalancerClass"]).Should().Be("x");
    }

    [Fact]
    public async Task Cluster_scoped_and_custom_resources_use_their_api_paths_and_typed_status_writes()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kubernetes.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-a", Labels = new Dictionary<string, string> { ["zone"] = "1" } } });
        var groups = cluster.Kubernetes.CustomObjects;
        await groups.CreateNamespacedCustomObjectAsync<ServiceGroupResource>(new ServiceGroupResource
        {
            Metadata = new V1ObjectMeta { NamespaceProperty = "purelb", Name = "default" },
            Spec = new ServiceGroupSpec { Local = new ServiceGroupPools { V4Pool = new AddressPool { Subnet = "192.0.2.0/24", Pool = "192.0.2.10-192.0.2.20", Aggregation = "default" } } },
        }, PureLbResources.Group, PureLbResources.Version, "purelb", PureLbResources.ServiceGroups);

        (await cluster.Kubernetes.CoreV1.ReadNodeAsync("node-a")).Metadata.Labels["zone"].Should().Be("1");
        var group = await groups.GetNamespacedCustomObjectAsync<ServiceGroupResource>(PureLbResources.Group, PureLbResources.Version, "purelb",
            PureLbResources.ServiceGroups, "default");
        group.Spec.Local!.V4Pool!.Pool.Should().Be("192.0.2.10-192.0.2.20");
        group.ApiVersion.Should().Be("purelb.io/v1");

        group.Status = new ServiceGroupStatus { Pools = [new PoolUsage { Pool = "192.0.2.10-192.0.2.20", Family = "IPv4", Size = 11, Used = 1, Free = 10 }] };
        group.Spec.AutoAssign = false;
        var written = await groups.ReplaceNamespacedCustomObjectStatusAsync<ServiceGroupResource>(group, PureLbResources.Group, PureLbResources.Version,
            "purelb", PureLbResources.ServiceGroups, "default");
        written.Status!.Pools![0].Used.Should().Be(1);
        written.Spec.AutoAssign.Should().BeNull("a status write does not change spec");
        cluster.Server.Requests.Count("create", "servicegroups").Should().Be(1);
        cluster.Server.Requests.Count("update", "servicegroups/status").Should().Be(1);
        cluster.Server.Requests.Count("get", "nodes").Should().Be(1);
    }

    [Fact]
    public async Task Server_errors_reach_the_caller_with_their_status_code()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.FailNext(1, "/services");

        var failing = () => cluster.Kubernetes.CoreV1.ListServiceForAllNamespacesAsync();

        (await failing.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await cluster.Kubernetes.CoreV1.ListServiceForAllNamespacesAsync()).Items.Should().BeEmpty("only the next request was set to fail");
    }

    private static V1Service Copy(V1Service service) => KubernetesJson.Deserialize<V1Service>(KubernetesJson.Serialize(service));
}
