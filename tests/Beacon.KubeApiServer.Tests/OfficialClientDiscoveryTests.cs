using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Beacon.KubeApiServer.Tests;

/// <summary>
/// Discovery, CustomResourceDefinitions and custom objects through the official client: the server is generic, so a
/// CRD (from k8s/ at start, or created later) is enough for its kind to be listed in discovery and served.
/// </summary>
public sealed class OfficialClientDiscoveryTests : IAsyncLifetime
{
    private const string WidgetDefinition = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Cluster
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          versions:
            - name: v1alpha1
              served: true
              storage: true
              subresources: {status: {}}
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      required: [size]
                      properties:
                        size: {type: integer, minimum: 1}
                    status:
                      type: object
                      x-kubernetes-preserve-unknown-fields: true
        """;

    private OfficialClientSession session = null!;

    private Kubernetes Client => session.Client;

    public async Task InitializeAsync() => session = await OfficialClientSession.StartAsync(new KubeApiServerOptions());

    public Task DisposeAsync() => session.DisposeAsync().AsTask();

    [Fact]
    public async Task Discovery_lists_the_core_and_group_resources_with_their_status_subresources()
    {
        (await Client.CoreV1.GetAPIResourcesAsync()).Resources.Select(r => r.Name).Should().Contain(["services", "services/status", "nodes", "namespaces", "events"]);
        var groups = (await Client.Apis.GetAPIVersionsAsync()).Groups.Select(g => g.Name).ToList();
        groups.Should().Contain(["coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "apiextensions.k8s.io", "purelb.io"]);

        var lease = (await Client.CoordinationV1.GetAPIResourcesAsync()).Resources.Single(r => r.Name == "leases");
        lease.Namespaced.Should().BeTrue();
        lease.Verbs.Should().Contain(["create", "get", "list", "watch", "update", "patch"]);
        (await Client.CoreV1.GetAPIResourcesAsync()).Resources.Single(r => r.Name == "nodes").Namespaced.Should().BeFalse();
    }

    [Fact]
    public async Task The_CRDs_from_k8s_are_installed_and_their_kinds_are_in_discovery()
    {
        var definitions = await Client.ApiextensionsV1.ListCustomResourceDefinitionAsync();
        definitions.Items.Select(d => d.Metadata.Name).Should().Contain(["servicegroups.purelb.io", "lbnodeagents.purelb.io"]);
        definitions.Items.Should().OnlyContain(d => d.Status.Conditions.Any(c => c.Type == "Established" && c.Status == "True"));

        using var http = new HttpClient { BaseAddress = session.Server.BaseAddress };
        var resources = JsonNode.Parse(await http.GetStringAsync(new Uri("/apis/purelb.io/v1", UriKind.Relative)))!;
        resources["kind"]!.GetValue<string>().Should().Be("APIResourceList");
        resources["resources"]!.AsArray().Select(r => (string?)r!["name"]).Should().Contain(["servicegroups", "servicegroups/status", "lbnodeagents"]);
        resources["resources"]!.AsArray().Single(r => (string?)r!["name"] == "servicegroups")!["shortNames"]!.AsArray().Select(n => (string?)n).Should().Contain("sg");
    }

    [Fact]
    public async Task A_CRD_created_through_the_client_serves_its_kind_and_deleting_it_stops_serving()
    {
        using var http = new HttpClient { BaseAddress = session.Server.BaseAddress };
        var definition = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(WidgetDefinition);
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(definition);

        var widget = JsonNode.Parse("""{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":3}}""")!;
        await Client.CustomObjects.CreateClusterCustomObjectAsync(widget, "example.com", "v1alpha1", "widgets");
        var tooSmall = JsonNode.Parse("""{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"w2"},"spec":{"size":0}}""")!;
        (await ApiFailure.Of(() => Client.CustomObjects.CreateClusterCustomObjectAsync(tooSmall, "example.com", "v1alpha1", "widgets"))).Code
            .Should().Be(HttpStatusCode.UnprocessableEntity);
        var noSize = JsonNode.Parse("""{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"w3"},"spec":{}}""")!;
        (await ApiFailure.Of(() => Client.CustomObjects.CreateClusterCustomObjectAsync(noSize, "example.com", "v1alpha1", "widgets"))).Status.Message
            .Should().Contain("spec.size: Required value");

        (await Client.CustomObjects.ListClusterCustomObjectAsync<JsonObject>("example.com", "v1alpha1", "widgets"))["items"]!.AsArray().Should().ContainSingle();
        (await http.GetStringAsync(new Uri("/apis/example.com/v1alpha1", UriKind.Relative))).Should().Contain("\"widgets/status\"");

        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.example.com");
        using var gone = await http.GetAsync(new Uri("/apis/example.com/v1alpha1/widgets", UriKind.Relative));
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invalid_CRD_is_refused()
    {
        var definition = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(WidgetDefinition);
        definition.Metadata.Name = "gadgets.example.com";

        (await ApiFailure.Of(() => Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(definition))).Status.Message.Should().Contain("spec.names.plural+\".\"+spec.group");
    }

    [Fact]
    public async Task Typed_custom_objects_work_through_the_generic_client_and_the_servers_typed_helpers()
    {
        var generic = new GenericClient(Client, "purelb.io", "v1", "servicegroups", disposeClient: false);
        var group = new ServiceGroupObject
        {
            ApiVersion = "purelb.io/v1",
            Kind = "ServiceGroup",
            Metadata = new V1ObjectMeta { Name = "lan", NamespaceProperty = "beacon-system" },
            Spec = new JsonObject { ["local"] = new JsonObject { ["v4pool"] = new JsonObject { ["subnet"] = "192.168.1.0/24", ["pool"] = "192.168.1.240-192.168.1.250", ["aggregation"] = "default" } } },
        };

        var created = await generic.CreateNamespacedAsync(group, "beacon-system");
        var listed = await generic.ListNamespacedAsync<CustomResourceList<ServiceGroupObject>>("beacon-system");

        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        listed.Items.Should().ContainSingle().Which.Spec!["local"]!["v4pool"]!["pool"]!.GetValue<string>().Should().Be("192.168.1.240-192.168.1.250");
        session.Server.Read<ServiceGroupObject>("beacon-system", "lan")!.Metadata.Uid.Should().Be(created.Metadata.Uid);
        session.Server.Seed(new ServiceGroupObject
        {
            ApiVersion = "purelb.io/v1",
            Kind = "ServiceGroup",
            Metadata = new V1ObjectMeta { Name = "seeded", NamespaceProperty = "beacon-system" },
            Spec = new JsonObject { ["remote"] = new JsonObject { ["v4pool"] = new JsonObject { ["subnet"] = "10.0.0.0/24", ["pool"] = "10.0.0.1-10.0.0.9", ["aggregation"] = "default" } } },
            Status = new JsonObject { ["conditions"] = new JsonArray() },
        }).Status.Should().NotBeNull("seeding keeps the status the test gave");
        session.Server.ReadAll<ServiceGroupObject>().Should().HaveCount(2);
    }
}

[KubernetesEntity(Group = "purelb.io", ApiVersion = "v1", Kind = "ServiceGroup", PluralName = "servicegroups")]
public sealed class ServiceGroupObject : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "purelb.io/v1";

    public string Kind { get; set; } = "ServiceGroup";

    public V1ObjectMeta Metadata { get; set; } = new();

    public JsonObject? Spec { get; set; }

    public JsonObject? Status { get; set; }
}

public sealed class CustomResourceList<T> : IKubernetesObject<V1ListMeta>
    where T : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public V1ListMeta Metadata { get; set; } = new();

    public IList<T> Items { get; set; } = [];
}
