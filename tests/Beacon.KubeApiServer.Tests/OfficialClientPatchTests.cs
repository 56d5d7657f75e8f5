using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Beacon.KubeApiServer.Tests;

/// <summary>
/// The three patch types the official client sends (merge, strategic merge, JSON patch), with the semantics of a real
/// API server: strategic merge merges lists by their merge key, JSON patch applies operations in order and fails whole
/// on a failed test, custom resources refuse strategic merge with 415.
/// </summary>
public sealed class OfficialClientPatchTests : IAsyncLifetime
{
    private OfficialClientSession session = null!;

    private Kubernetes Client => session.Client;

    public async Task InitializeAsync() => session = await OfficialClientSession.StartAsync(new KubeApiServerOptions());

    public Task DisposeAsync() => session.DisposeAsync().AsTask();

    private Task<V1Service> CreateAsync() => Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "apps", Finalizers = ["purelb.io/address"] },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer",
            Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }, new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP" }],
        },
    }, "apps");

    [Fact]
    public async Task A_strategic_merge_patch_merges_ports_by_port_and_unites_finalizers()
    {
        await CreateAsync();

        var patched = await Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""
            {"metadata":{"finalizers":["example.com/other"]},
             "spec":{"ports":[{"port":443,"name":"tls"},{"port":8080,"name":"alt"},{"port":80,"$patch":"delete"}]}}
            """, V1Patch.PatchType.StrategicMergePatch), "web", "apps");

        patched.Metadata.Finalizers.Should().Equal("purelb.io/address", "example.com/other");
        patched.Spec.Ports.Select(p => (p.Port, p.Name)).Should().Equal((443, "tls"), (8080, "alt"));
        patched.Spec.Ports[0].Protocol.Should().Be("TCP", "the merged element keeps the fields the patch did not name");
    }

    [Fact]
    public async Task The_same_list_in_a_merge_patch_replaces_the_whole_list()
    {
        await CreateAsync();

        var patched = await Client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"spec":{"ports":[{"port":443,"name":"tls"}]}}""", V1Patch.PatchType.MergePatch), "web", "apps");

        patched.Spec.Ports.Should().ContainSingle().Which.Protocol.Should().BeNull("a merge patch replaces lists");
    }

    [Fact]
    public async Task A_JSON_patch_applies_in_order_and_a_failed_test_changes_nothing()
    {
        var created = await CreateAsync();

        var patched = await Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""
            [{"op":"test","path":"/metadata/resourceVersion","value":"RV"},
             {"op":"add","path":"/metadata/annotations","value":{"purelb.io/allocated-by":"Beacon"}},
             {"op":"replace","path":"/spec/ports/1/port","value":8443},
             {"op":"remove","path":"/metadata/finalizers/0"}]
            """.Replace("RV", created.Metadata.ResourceVersion, StringComparison.Ordinal), V1Patch.PatchType.JsonPatch), "web", "apps");

        patched.Metadata.Annotations.Should().Contain("purelb.io/allocated-by", "Beacon");
        patched.Spec.Ports[1].Port.Should().Be(8443);
        patched.Metadata.Finalizers.Should().BeNullOrEmpty();

        var stale = () => Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""
            [{"op":"replace","path":"/spec/ports/0/port","value":81},{"op":"test","path":"/metadata/resourceVersion","value":"RV"}]
            """.Replace("RV", created.Metadata.ResourceVersion, StringComparison.Ordinal), V1Patch.PatchType.JsonPatch), "web", "apps");
        (await ApiFailure.Of(stale)).Code.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Client.CoreV1.ReadNamespacedServiceAsync("web", "apps")).Spec.Ports[0].Port.Should().Be(80);

        var missing = () => Client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""[{"op":"remove","path":"/metadata/labels/none"}]""", V1Patch.PatchType.JsonPatch), "web", "apps");
        (await ApiFailure.Of(missing)).Code.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_status_patch_of_any_type_changes_only_status()
    {
        await CreateAsync();

        var patched = await Client.CoreV1.PatchNamespacedServiceStatusAsync(new V1Patch("""
            [{"op":"add","path":"/status","value":{"loadBalancer":{"ingress":[{"ip":"192.168.1.240","ipMode":"VIP"}]}}},
             {"op":"replace","path":"/spec/type","value":"ClusterIP"}]
            """, V1Patch.PatchType.JsonPatch), "web", "apps");

        patched.Status.LoadBalancer.Ingress.Single().Ip.Should().Be("192.168.1.240");
        patched.Spec.Type.Should().Be("LoadBalancer");
    }

    [Fact]
    public async Task Custom_objects_take_merge_and_JSON_patches_but_refuse_strategic_merge_with_415()
    {
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonNode.Parse("""
            {"apiVersion":"purelb.io/v1","kind":"ServiceGroup","metadata":{"name":"lan","namespace":"beacon-system"},
             "spec":{"local":{"v4pool":{"subnet":"192.168.1.0/24","pool":"192.168.1.240-192.168.1.250","aggregation":"default"}}}}
            """)!, "purelb.io", "v1", "beacon-system", "servicegroups");

        var strategic = () => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.StrategicMergePatch), "purelb.io", "v1", "beacon-system", "servicegroups", "lan");
        var (code, status) = await ApiFailure.Of(strategic);
        code.Should().Be(HttpStatusCode.UnsupportedMediaType);
        status.Reason.Should().Be("UnsupportedMediaType");

        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""[{"op":"add","path":"/metadata/labels","value":{"tier":"lan"}}]""", V1Patch.PatchType.JsonPatch),
            "purelb.io", "v1", "beacon-system", "servicegroups", "lan");
        var read = await Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("purelb.io", "v1", "beacon-system", "servicegroups", "lan");
        read["metadata"]!["labels"]!["tier"]!.GetValue<string>().Should().Be("lan");
    }
}
