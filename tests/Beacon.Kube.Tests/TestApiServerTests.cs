using System.Text.Json.Nodes;
using Beacon.Kube.Client;
using Beacon.KubeApiServer;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Beacon.Kube.Tests;

/// <summary>Semantics of the test API server that other suites rely on, checked through the official client.</summary>
public sealed class TestApiServerTests
{
    private static readonly ApiResourceInfo Services = KubeApiTestServer.Info(KubeResources.Services);

    [Fact]
    public async Task Watch_replays_history_after_the_given_version_then_streams_and_ends_at_its_timeout()
    {
        await using var cluster = await TestCluster.StartAsync();
        var first = cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "one"));
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "two"));
        cluster.Server.Store.Delete(Services, "a", "one");

        var seen = new List<string>();
        await foreach (var (type, item) in cluster.Kubernetes.CoreV1.WatchListNamespacedServiceAsync("a", resourceVersion: first.Metadata.ResourceVersion,
                           timeoutSeconds: 1, allowWatchBookmarks: false))
        {
            seen.Add($"{type} {item.Metadata.Name}");
        }

        seen.Should().Equal("Added two", "Deleted one");
    }

    [Fact]
    public async Task A_label_selected_watch_sees_objects_enter_and_leave_the_selection()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "unrelated"));
        var start = cluster.Server.Store.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "svc"));
        cluster.Server.Store.Patch(Services, "a", "svc", JsonNode.Parse("""{"metadata":{"labels":{"lb":"yes"}}}""")!, statusOnly: false);
        cluster.Server.Store.Patch(Services, "a", "svc", JsonNode.Parse("""{"metadata":{"labels":{"lb":"yes","x":"1"}}}""")!, statusOnly: false);
        cluster.Server.Store.Patch(Services, "a", "svc", JsonNode.Parse("""{"metadata":{"labels":{"lb":null}}}""")!, statusOnly: false);

        var seen = new List<WatchEventType>();
        await foreach (var (type, _) in cluster.Kubernetes.CoreV1.WatchListServiceForAllNamespacesAsync(resourceVersion: start, labelSelector: "lb=yes",
                           timeoutSeconds: 1, allowWatchBookmarks: false))
        {
            seen.Add(type);
        }

        seen.Should().Equal(WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted);
    }

    [Fact]
    public async Task A_write_that_changes_nothing_keeps_the_resource_version()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("a", "svc"));

        var again = await cluster.Writes.UpdateAsync(created);

        again.Metadata.ResourceVersion.Should().Be(created.Metadata.ResourceVersion);
        cluster.Server.Store.History(Services).Should().ContainSingle();
    }

    [Fact]
    public async Task Objects_with_finalizers_are_only_marked_until_the_finalizers_are_removed()
    {
        await using var cluster = await TestCluster.StartAsync();
        var service = TestCluster.LoadBalancer("a", "svc");
        service.Metadata.Finalizers = ["purelb.io/address"];
        await cluster.Writes.CreateAsync(service);

        await cluster.Kubernetes.CoreV1.DeleteNamespacedServiceAsync("svc", "a");
        var marked = await cluster.Kubernetes.CoreV1.ReadNamespacedServiceAsync("svc", "a");
        marked.Metadata.DeletionTimestamp.Should().NotBeNull();

        marked.Metadata.Finalizers = null;
        await cluster.Kubernetes.CoreV1.ReplaceNamespacedServiceAsync(marked, "svc", "a");
        cluster.Server.Read(KubeResources.Services, "a", "svc").Should().BeNull();
        cluster.Server.Store.History(Services).Select(h => h.Type).Should().Equal("ADDED", "MODIFIED", "DELETED");
    }

    [Fact]
    public async Task Resource_versions_increase_globally_across_resources_and_lists_report_the_latest()
    {
        await using var cluster = await TestCluster.StartAsync();
        var a = await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("a", "svc"));
        var node = await cluster.Kubernetes.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "n1" } });
        var b = await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("a", "svc2"));

        long.Parse(node.Metadata.ResourceVersion!).Should().BeGreaterThan(long.Parse(a.Metadata.ResourceVersion!));
        long.Parse(b.Metadata.ResourceVersion!).Should().BeGreaterThan(long.Parse(node.Metadata.ResourceVersion!));
        (await cluster.Kubernetes.CoreV1.ListNodeAsync()).Metadata.ResourceVersion.Should().Be(b.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Continue_tokens_expire_with_compaction()
    {
        await using var cluster = await TestCluster.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", $"s{i}"));
        }

        var page = await cluster.Kubernetes.CoreV1.ListServiceForAllNamespacesAsync(limit: 2);
        cluster.Server.Faults.ExpireResourceVersions();
        var next = () => cluster.Kubernetes.CoreV1.ListServiceForAllNamespacesAsync(limit: 2, continueParameter: page.Metadata.ContinueProperty);

        (await next.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.Gone);
    }

    [Fact]
    public async Task Patch_requires_the_merge_patch_content_type_and_unknown_paths_are_404()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "svc"));
        using var http = new HttpClient { BaseAddress = cluster.Server.BaseAddress };

        using var jsonPatch = new StringContent("[]", System.Text.Encoding.UTF8, "text/plain");
        using var patched = await http.PatchAsync(new Uri("/api/v1/namespaces/a/services/svc", UriKind.Relative), jsonPatch);
        using var unknown = await http.GetAsync(new Uri("/apis/example.com/v1/widgets", UriKind.Relative));
        using var noStatus = await http.GetAsync(new Uri("/api/v1/namespaces/a/events/e/status", UriKind.Relative));

        ((int)patched.StatusCode).Should().Be(415);
        ((int)unknown.StatusCode).Should().Be(404);
        ((int)noStatus.StatusCode).Should().Be(404);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("\"kind\":\"Status\"");
    }

    [Fact]
    public async Task Bounded_history_expires_versions_older_than_the_retained_writes()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { HistoryLimit = 3 });
        var versions = Enumerable.Range(0, 5)
            .Select(i => cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", $"s{i}")).Metadata.ResourceVersion!)
            .ToList();

        async Task<(int Events, List<Exception> Errors)> WatchFrom(string version)
        {
            var count = 0;
            var errors = new List<Exception>();
            await foreach (var _ in cluster.Kubernetes.CoreV1.WatchListServiceForAllNamespacesAsync(resourceVersion: version, timeoutSeconds: 1,
                               allowWatchBookmarks: false, onError: errors.Add))
            {
                count++;
            }

            return (count, errors);
        }

        (await WatchFrom(versions[1])).Events.Should().Be(3, "writes after the second are all retained");
        var tooOld = await WatchFrom(versions[0]);
        tooOld.Events.Should().Be(0);
        tooOld.Errors.Should().ContainSingle().Which.Should().BeOfType<KubernetesException>().Which.Status.Code.Should().Be(410);
    }

    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Merge_patch_follows_rfc_7386(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        JsonNode.DeepEquals(result, JsonNode.Parse(expected)).Should().BeTrue($"{target} + {patch} should be {expected}, got {result?.ToJsonString()}");
    }

    [Fact]
    public async Task Injected_latency_delays_requests()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.Latency = TimeSpan.FromMilliseconds(300);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await cluster.Kubernetes.CoreV1.ListServiceForAllNamespacesAsync();

        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(280));
    }

    [Fact]
    public async Task A_request_that_outlasts_the_client_timeout_is_reported_as_a_timeout()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var impatient = new Kubernetes(new KubernetesClientConfiguration
        {
            Host = cluster.Server.BaseAddress.ToString(),
            HttpClientTimeout = TimeSpan.FromMilliseconds(200),
        });
        cluster.Server.Faults.Latency = TimeSpan.FromSeconds(5);

        var started = System.Diagnostics.Stopwatch.StartNew();

        var list = () => impatient.CoreV1.ListServiceForAllNamespacesAsync();

        // HttpClient's timeout surfaces as a cancellation the caller did not ask for, long before the server answers.
        await list.Should().ThrowAsync<TaskCanceledException>();
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
    }
}
