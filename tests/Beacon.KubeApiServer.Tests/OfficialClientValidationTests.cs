using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Beacon.KubeApiServer.Tests;

/// <summary>
/// Writes a real API server refuses are refused here too, with a Status body the official client can read (reason,
/// code, and for 422 the offending fields), so tests against this server cannot pass on requests a cluster rejects.
/// </summary>
public sealed class OfficialClientValidationTests : IAsyncLifetime
{
    private const string ServiceGroupJson = """
        {"apiVersion":"purelb.io/v1","kind":"ServiceGroup","metadata":{"name":"lan","namespace":"beacon-system"},
         "spec":{"local":{"v4pool":{"subnet":"192.168.1.0/24","pool":"192.168.1.240-192.168.1.250","aggregation":"default"}}}}
        """;

    private OfficialClientSession session = null!;

    private Kubernetes Client => session.Client;

    public async Task InitializeAsync() => session = await OfficialClientSession.StartAsync(new KubeApiServerOptions());

    public Task DisposeAsync() => session.DisposeAsync().AsTask();

    private static V1Service LoadBalancer(string name = "web") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "apps" },
        Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = 80 }] },
    };

    [Theory]
    [InlineData("Web")]
    [InlineData("1web")]
    [InlineData("web.example")]
    [InlineData("web-")]
    public async Task Service_names_that_are_not_DNS_1035_labels_are_invalid_with_the_field_named(string name)
    {
        var (code, status) = await ApiFailure.Of(() => Client.CoreV1.CreateNamespacedServiceAsync(LoadBalancer(name), "apps"));

        code.Should().Be(HttpStatusCode.UnprocessableEntity);
        status.Reason.Should().Be("Invalid");
        status.Details.Kind.Should().Be("services");
        status.Details.Causes.Should().ContainSingle().Which.Field.Should().Be("metadata.name");
    }

    [Fact]
    public async Task A_Service_without_ports_or_with_a_port_out_of_range_is_invalid()
    {
        var noPorts = LoadBalancer();
        noPorts.Spec.Ports = null;
        var outOfRange = LoadBalancer();
        outOfRange.Spec.Ports = [new V1ServicePort { Port = 70000 }];

        (await ApiFailure.Of(() => Client.CoreV1.CreateNamespacedServiceAsync(noPorts, "apps"))).Status.Message.Should().Contain("spec.ports: Required value");
        (await ApiFailure.Of(() => Client.CoreV1.CreateNamespacedServiceAsync(outOfRange, "apps"))).Status.Message.Should().Contain("spec.ports[0].port");
        (await Client.CoreV1.ListServiceForAllNamespacesAsync()).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task A_body_of_another_kind_or_version_than_the_URL_is_a_bad_request()
    {
        var wrongKind = LoadBalancer();
        wrongKind.Kind = "Node";
        var wrongGroup = JsonNode.Parse(ServiceGroupJson)!;
        wrongGroup["apiVersion"] = "purelb.io/v2";

        (await ApiFailure.Of(() => Client.CoreV1.CreateNamespacedServiceAsync(wrongKind, "apps"))).Code.Should().Be(HttpStatusCode.BadRequest);
        (await ApiFailure.Of(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(wrongGroup, "purelb.io", "v1", "beacon-system", "servicegroups")))
            .Code.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Creating_with_a_resourceVersion_fails_and_uid_and_creationTimestamp_are_the_servers()
    {
        var withVersion = LoadBalancer();
        withVersion.Metadata.ResourceVersion = "42";
        (await ApiFailure.Of(() => Client.CoreV1.CreateNamespacedServiceAsync(withVersion, "apps"))).Status.Message.Should().Contain("resourceVersion should not be set");

        var forged = LoadBalancer();
        forged.Metadata.Uid = "forged";
        forged.Metadata.CreationTimestamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(forged, "apps");
        created.Metadata.Uid.Should().NotBe("forged");
        created.Metadata.CreationTimestamp.Should().BeAfter(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        created.Metadata.Uid = "changed";
        (await ApiFailure.Of(() => Client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "apps"))).Status.Message.Should().Contain("metadata.uid").And.Contain("immutable");
    }

    [Fact]
    public async Task The_main_resource_ignores_status_and_an_update_from_a_stale_copy_conflicts()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(LoadBalancer(), "apps");
        created.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "192.168.1.240" }] } };
        created.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "web" };

        var updated = await Client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "apps");

        updated.Metadata.Labels.Should().Contain("tier", "web");
        updated.Status?.LoadBalancer?.Ingress.Should().BeNullOrEmpty("status changes through the main resource are ignored");
        var (code, status) = await ApiFailure.Of(() => Client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "apps"));
        code.Should().Be(HttpStatusCode.Conflict);
        status.Reason.Should().Be("Conflict");
    }

    [Fact]
    public async Task Custom_objects_need_a_resourceVersion_to_update_and_are_checked_and_pruned_by_their_schema()
    {
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonNode.Parse(ServiceGroupJson)!, "purelb.io", "v1", "beacon-system", "servicegroups");
        var read = await Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("purelb.io", "v1", "beacon-system", "servicegroups", "lan");
        read["metadata"]!.AsObject().Remove("resourceVersion");
        (await ApiFailure.Of(() => Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(read, "purelb.io", "v1", "beacon-system", "servicegroups", "lan")))
            .Status.Message.Should().Contain("must be specified for an update");

        var badPattern = JsonNode.Parse(ServiceGroupJson)!;
        badPattern["metadata"]!["name"] = "bad";
        badPattern["spec"]!["local"]!["v4pool"]!["subnet"] = "not a subnet";
        var (code, status) = await ApiFailure.Of(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(badPattern, "purelb.io", "v1", "beacon-system", "servicegroups"));
        code.Should().Be(HttpStatusCode.UnprocessableEntity);
        status.Details.Causes.Should().Contain(c => c.Field == "spec.local.v4pool.subnet");

        var unknownField = JsonNode.Parse(ServiceGroupJson)!;
        unknownField["metadata"]!["name"] = "extra";
        unknownField["spec"]!["notInTheSchema"] = true;
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(unknownField, "purelb.io", "v1", "beacon-system", "servicegroups");
        var stored = await Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("purelb.io", "v1", "beacon-system", "servicegroups", "extra");
        stored["spec"]!.AsObject().ContainsKey("notInTheSchema").Should().BeFalse("a structural schema prunes unknown fields");
    }

    [Fact]
    public async Task Namespaced_and_cluster_scoped_resources_answer_only_on_their_own_paths()
    {
        await Client.CoreV1.CreateNamespacedServiceAsync(LoadBalancer(), "apps");
        await Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } });
        using var http = new HttpClient { BaseAddress = session.Server.BaseAddress };

        using var serviceWithoutNamespace = await http.GetAsync(new Uri("/api/v1/services/web", UriKind.Relative));
        using var nodeInNamespace = await http.GetAsync(new Uri("/api/v1/namespaces/apps/nodes/node-1", UriKind.Relative));
        using var node = await http.GetAsync(new Uri("/api/v1/nodes/node-1", UriKind.Relative));

        serviceWithoutNamespace.StatusCode.Should().Be(HttpStatusCode.NotFound);
        nodeInNamespace.StatusCode.Should().Be(HttpStatusCode.NotFound);
        node.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_event_must_live_in_the_namespace_of_its_object_and_events_k8s_io_needs_its_reporting_fields()
    {
        var elsewhere = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.1", NamespaceProperty = "other" },
            InvolvedObject = new V1ObjectReference { Kind = "Service", Name = "web", NamespaceProperty = "apps", ApiVersion = "v1" },
            Reason = "AddressAssigned",
        };
        (await ApiFailure.Of(() => Client.CoreV1.CreateNamespacedEventAsync(elsewhere, "other"))).Status.Message.Should().Contain("involvedObject.namespace");

        var incomplete = new Eventsv1Event { Metadata = new V1ObjectMeta { Name = "web.2", NamespaceProperty = "apps" }, Reason = "AddressAssigned", Type = "Normal" };
        (await ApiFailure.Of(() => Client.EventsV1.CreateNamespacedEventAsync(incomplete, "apps"))).Status.Message.Should().Contain("reportingController: Required value");

        var complete = new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.3", NamespaceProperty = "apps" },
            EventTime = DateTime.UtcNow,
            ReportingController = "purelb.io/beacon-allocator",
            ReportingInstance = "beacon-allocator-0",
            Action = "Allocate",
            Reason = "AddressAssigned",
            Type = "Normal",
            Note = "Assigned 192.168.1.240",
            Regarding = new V1ObjectReference { Kind = "Service", Name = "web", NamespaceProperty = "apps", ApiVersion = "v1" },
        };
        await Client.EventsV1.CreateNamespacedEventAsync(complete, "apps");
        (await Client.EventsV1.ListNamespacedEventAsync("apps")).Items.Single().Note.Should().Be("Assigned 192.168.1.240");
    }

    [Fact]
    public async Task A_watch_with_a_timeout_ends_cleanly_at_it()
    {
        var version = (await Client.CoreV1.ListServiceForAllNamespacesAsync()).Metadata.ResourceVersion;
        await Client.CoreV1.CreateNamespacedServiceAsync(LoadBalancer(), "apps");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var errors = new List<Exception>();
        var seen = new List<WatchEventType>();

        // One event first: the library throws instead of ending when a watch closes before its first event (see
        // OfficialClientWatchBehaviourTests), which is the library's behaviour with a real server too.
        await foreach (var (type, _) in Client.CoreV1.WatchListServiceForAllNamespacesAsync(resourceVersion: version, timeoutSeconds: 1, onError: errors.Add, cancellationToken: stop.Token))
        {
            seen.Add(type);
        }

        stop.IsCancellationRequested.Should().BeFalse("the server ended the watch at its timeout");
        seen.Should().Equal(WatchEventType.Added);
        errors.Should().BeEmpty();
    }
}
