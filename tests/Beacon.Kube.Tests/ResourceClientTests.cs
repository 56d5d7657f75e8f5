using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Kube.Client;
using Beacon.Kube.Models;

namespace Beacon.Kube.Tests;

public sealed class ResourceClientTests
{
    [Fact]
    public async Task Create_get_update_delete_round_trip_over_http()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Services.CreateAsync(TestCluster.LoadBalancer("web", "shop"));

        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Metadata.ResourceVersion.Should().NotBeNullOrEmpty();
        created.Metadata.Generation.Should().Be(1);
        created.Metadata.CreationTimestamp.Should().NotBeNull();

        var fetched = await cluster.Services.GetAsync("web", "shop");
        fetched.Spec.Ports![0].TargetPort!.Value.IntValue.Should().Be(8080);

        fetched.Spec.LoadBalancerClass = "purelb.io/purelb";
        var updated = await cluster.Services.UpdateAsync(fetched);
        long.Parse(updated.Metadata.ResourceVersion!).Should().BeGreaterThan(long.Parse(created.Metadata.ResourceVersion!));
        updated.Metadata.Generation.Should().Be(2, "a spec change bumps the generation");

        await cluster.Services.DeleteAsync("web", "shop");
        (await cluster.Services.TryGetAsync("web", "shop")).Should().BeNull();
        var missing = () => cluster.Services.GetAsync("web", "shop");
        await missing.Should().ThrowAsync<KubeNotFoundException>().WithMessage("*not found*");
    }

    [Fact]
    public async Task Creating_an_existing_object_is_AlreadyExists_not_Conflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Services.CreateAsync(TestCluster.LoadBalancer("web", "shop"));

        var again = () => cluster.Services.CreateAsync(TestCluster.LoadBalancer("web", "shop"));

        (await again.Should().ThrowAsync<KubeAlreadyExistsException>()).Which.Reason.Should().Be("AlreadyExists");
    }

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_a_conflict_carrying_the_server_message()
    {
        await using var cluster = await TestCluster.StartAsync();
        var original = await cluster.Services.CreateAsync(TestCluster.LoadBalancer("web", "shop"));
        var first = cluster.Services.Clone(original);
        first.Metadata.Labels = new() { ["tier"] = "a" };
        await cluster.Services.UpdateAsync(first);

        original.Metadata.Labels = new() { ["tier"] = "b" };
        var stale = () => cluster.Services.UpdateAsync(original);

        var thrown = await stale.Should().ThrowAsync<KubeConflictException>();
        thrown.Which.Message.Should().Contain("the object has been modified");
        (await cluster.Services.GetAsync("web", "shop")).Metadata.Labels!["tier"].Should().Be("a");
    }

    [Fact]
    public async Task Main_resource_update_ignores_status_and_status_update_ignores_spec()
    {
        await using var cluster = await TestCluster.StartAsync();
        var service = await cluster.Services.CreateAsync(TestCluster.LoadBalancer("web", "shop"));

        service.Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = "192.0.2.10" }] } };
        service.Spec.LoadBalancerIP = "192.0.2.99";
        var afterMain = await cluster.Services.UpdateAsync(service);
        afterMain.Status?.LoadBalancer?.Ingress.Should().BeNullOrEmpty("PUT on the main resource must not change status");
        afterMain.Spec.LoadBalancerIP.Should().Be("192.0.2.99");

        afterMain.Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = "192.0.2.10", IpMode = "VIP" }] } };
        afterMain.Spec.LoadBalancerIP = "192.0.2.1";
        var afterStatus = await cluster.Services.UpdateStatusAsync(afterMain);
        afterStatus.Status!.LoadBalancer!.Ingress![0].IP.Should().Be("192.0.2.10");
        afterStatus.Status.LoadBalancer.Ingress[0].IpMode.Should().Be("VIP");
        afterStatus.Spec.LoadBalancerIP.Should().Be("192.0.2.99", "PUT on /status must not change spec");
        afterStatus.Metadata.Generation.Should().Be(afterMain.Metadata.Generation, "status writes do not bump generation");
    }

    [Fact]
    public async Task UpdateStatusWithRetry_survives_concurrent_writers_without_losing_updates()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Services.CreateAsync(TestCluster.LoadBalancer("web", "shop"));

        // Ten writers each append their own condition; optimistic concurrency must keep all ten.
        var writers = Enumerable.Range(0, 10).Select(i => cluster.Services.UpdateStatusWithRetryAsync("web", "shop", svc =>
        {
            svc.Status ??= new ServiceStatus();
            svc.Status.Conditions ??= [];
            svc.Status.Conditions.Add(new Condition { Type = $"Writer{i}", Status = "True", Reason = "Test", Message = "m", LastTransitionTime = DateTimeOffset.UtcNow });
            return true;
        }, maxAttempts: 50));
        await Task.WhenAll(writers);

        var final = await cluster.Services.GetAsync("web", "shop");
        final.Status!.Conditions!.Select(c => c.Type).Should().BeEquivalentTo(Enumerable.Range(0, 10).Select(i => $"Writer{i}"));
        cluster.Server.Requests.Count("update", "services/status").Should().BeGreaterThanOrEqualTo(10);
    }

    [Fact]
    public async Task UpdateStatusWithRetry_from_a_cached_copy_costs_one_request_and_rereads_only_after_a_conflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        var cached = await cluster.Services.CreateAsync(TestCluster.LoadBalancer("web", "shop"));
        static bool Assign(Service svc)
        {
            svc.Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = "192.0.2.10" }] } };
            return true;
        }

        await cluster.Services.UpdateStatusWithRetryAsync(cached, Assign);
        cluster.Server.Requests.Count("get", "services").Should().Be(0);
        cached.Status.Should().BeNull("the cached object itself is not mutated");

        // The cache is now stale: the first write conflicts, then a fresh read succeeds.
        await cluster.Services.UpdateStatusWithRetryAsync(cached, svc =>
        {
            svc.Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = "192.0.2.11", IpMode = "VIP" }] } };
            return true;
        });
        cluster.Server.Requests.Count("get", "services").Should().Be(1);
        (await cluster.Services.GetAsync("web", "shop")).Status!.LoadBalancer!.Ingress![0].IP.Should().Be("192.0.2.11");
    }

    [Fact]
    public async Task UpdateStatusWithRetry_skips_the_write_when_nothing_changes()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Services.CreateAsync(TestCluster.LoadBalancer("web", "shop"));

        await cluster.Services.UpdateStatusWithRetryAsync("web", "shop", _ => false);

        cluster.Server.Requests.Count("update", "services/status").Should().Be(0);
    }

    [Fact]
    public async Task Merge_patch_adds_and_removes_annotations_and_keeps_the_rest()
    {
        await using var cluster = await TestCluster.StartAsync();
        var service = TestCluster.LoadBalancer("web", "shop");
        service.Metadata.Annotations = new() { ["keep"] = "1", ["drop"] = "2" };
        await cluster.Services.CreateAsync(service);

        var patched = await cluster.Services.PatchMetadataAsync("web", "shop",
            new Dictionary<string, string?> { ["purelb.io/allocated-from"] = "default", ["drop"] = null },
            new Dictionary<string, string?> { ["team"] = "blue" });

        patched.Metadata.Annotations.Should().BeEquivalentTo(new Dictionary<string, string> { ["keep"] = "1", ["purelb.io/allocated-from"] = "default" });
        patched.Metadata.Labels.Should().ContainKey("team");
        patched.Spec.Ports.Should().HaveCount(1);
    }

    [Fact]
    public async Task Merge_patch_on_status_changes_only_status()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Services.CreateAsync(TestCluster.LoadBalancer("web", "shop"));

        var patch = JsonNode.Parse("""{"spec":{"loadBalancerIP":"192.0.2.5"},"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.7"}]}}}""")!.AsObject();
        var patched = await cluster.Services.PatchAsync("web", "shop", patch, subresource: "status");

        patched.Status!.LoadBalancer!.Ingress![0].IP.Should().Be("192.0.2.7");
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

        var firstPage = await cluster.Services.ListAsync(null, new ListOptions { Limit = 10 });
        firstPage.Items.Should().HaveCount(10);
        firstPage.Metadata.Continue.Should().NotBeNullOrEmpty();

        var all = await cluster.Services.ListAllAsync(null, new ListOptions { Limit = 10 });
        all.Items.Select(s => s.Metadata.Name).Should().OnlyHaveUniqueItems().And.HaveCount(23);
        all.Metadata.ResourceVersion.Should().Be(cluster.Server.Store.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
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

        (await cluster.Services.ListAsync("a")).Items.Select(s => s.Metadata.Name).Should().BeEquivalentTo("one", "two");
        (await cluster.Services.ListAsync(null, new ListOptions { LabelSelector = "tier=web" })).Items.Select(s => s.Metadata.Name).Should().BeEquivalentTo("one", "three");
        (await cluster.Services.ListAsync(null, new ListOptions { LabelSelector = "tier in (web,db),tier!=db" })).Items.Should().HaveCount(2);
        (await cluster.Services.ListAsync(null, new ListOptions { LabelSelector = "!tier" })).Items.Select(s => s.Metadata.Name).Should().Equal("four");
        (await cluster.Services.ListAsync(null, new ListOptions { FieldSelector = "metadata.name=three" })).Items.Should().ContainSingle();
        (await cluster.Services.ListAsync(null, new ListOptions { FieldSelector = "metadata.namespace!=a" })).Items.Should().HaveCount(2);

        var bad = () => cluster.Services.ListAsync(null, new ListOptions { LabelSelector = "tier in (web" });
        (await bad.Should().ThrowAsync<KubeInvalidException>()).Which.Message.Should().Contain("tier in (web");
    }

    [Fact]
    public async Task Fields_the_model_does_not_know_survive_a_whole_object_status_update()
    {
        await using var cluster = await TestCluster.StartAsync();
        var service = TestCluster.LoadBalancer("web", "shop");
        service.Spec.ExtensionData = new() { ["sessionAffinity"] = JsonSerializer.SerializeToElement("ClientIP", Json.KubeJsonContext.Default.String) };
        await cluster.Services.CreateAsync(service);
        cluster.Server.Store.Patch(KubeApiServer.KubeApiTestServer.Info(KubeResources.Services), "web", "shop",
            JsonNode.Parse("""{"metadata":{"managedFields":[{"manager":"kubectl"}]},"spec":{"healthCheckNodePort":31000,"ports":[{"port":80,"protocol":"TCP","futurePortField":"x"}]}}""")!, statusOnly: false);

        await cluster.Services.UpdateStatusWithRetryAsync("web", "shop", svc =>
        {
            svc.Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = "192.0.2.1" }] } };
            return true;
        });
        var fetched = await cluster.Services.GetAsync("web", "shop");
        fetched.Spec.LoadBalancerClass = "x";
        await cluster.Services.UpdateAsync(fetched);

        var stored = cluster.Server.Store.Get(KubeApiServer.KubeApiTestServer.Info(KubeResources.Services), "web", "shop");
        ((string?)stored["spec"]!["sessionAffinity"]).Should().Be("ClientIP");
        ((int?)stored["spec"]!["healthCheckNodePort"]).Should().Be(31000);
        stored["metadata"]!["managedFields"].Should().NotBeNull();
        ((string?)stored["spec"]!["ports"]![0]!["futurePortField"]).Should().Be("x");
        ((string?)stored["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]).Should().Be("192.0.2.1");
    }

    [Fact]
    public async Task Cluster_scoped_and_custom_resources_use_their_api_paths()
    {
        await using var cluster = await TestCluster.StartAsync();
        var nodes = cluster.Client.For(KubeResources.Nodes);
        var groups = cluster.Client.For(KubeResources.ServiceGroups);

        await nodes.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "node-a", Labels = new() { ["zone"] = "1" } } });
        await groups.CreateAsync(new ServiceGroup
        {
            Metadata = new ObjectMeta { Namespace = "purelb", Name = "default" },
            Spec = new ServiceGroupSpec { Local = new ServiceGroupPools { V4Pool = new AddressPool { Subnet = "192.0.2.0/24", Pool = "192.0.2.10-192.0.2.20", Aggregation = "default" } } },
        });

        (await nodes.GetAsync(null, "node-a")).Metadata.Labels!["zone"].Should().Be("1");
        var group = await groups.GetAsync("purelb", "default");
        group.Spec.Local!.V4Pool!.Pool.Should().Be("192.0.2.10-192.0.2.20");
        group.ApiVersion.Should().Be("purelb.io/v1");
        cluster.Server.Requests.Count("create", "servicegroups").Should().Be(1);
        cluster.Server.Requests.Count("get", "nodes").Should().Be(1);
    }

    [Fact]
    public async Task Throttled_requests_are_retried_after_the_servers_retry_after_and_writes_are_not_lost()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.FailNext(1, "/services", statusCode: 429);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await cluster.Services.CreateAsync(TestCluster.LoadBalancer("web", "shop"));

        started.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(900), "the server asked for Retry-After: 1");
        cluster.Server.Read(KubeResources.Services, "web", "shop").Should().NotBeNull();
        cluster.Client.RequestsSent.Should().Be(2);

        using var impatient = cluster.NewClient(new KubeClientOptions { MaxThrottleRetries = 0 });
        cluster.Server.Faults.FailNext(1, "/services", statusCode: 429);
        var failing = () => impatient.For(KubeResources.Services).ListAsync(null);
        (await failing.Should().ThrowAsync<KubeApiException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Server_errors_are_reported_as_api_exceptions_with_the_status_code()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.FailNext(1, "/services");

        var failing = () => cluster.Services.ListAsync(null);

        (await failing.Should().ThrowAsync<KubeApiException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.InternalServerError);
        (await cluster.Services.ListAsync(null)).Items.Should().BeEmpty("only the next request was set to fail");
    }
}
