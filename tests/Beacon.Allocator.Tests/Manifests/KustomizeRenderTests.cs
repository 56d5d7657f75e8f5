using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Allocator.Manifests;
using Beacon.Kube.Json;

namespace Beacon.Allocator.Tests.Manifests;

public sealed class KustomizeRenderTests
{
    public static TheoryData<string> Roots() => new(RenderedManifests.Roots);

    [Fact]
    public void Both_documented_overlays_exist()
    {
        RenderedManifests.Roots.Should().Contain(["k8s", "k8s/overlays/l2", "k8s/overlays/bgp-bird"]);
    }

    [Theory]
    [MemberData(nameof(Roots))]
    public void Renders_the_complete_install(string root)
    {
        var documents = RenderedManifests.Render(root);

        documents.Select(d => $"{d.Kind}/{d.Root!["metadata"]!["name"]}").Should().Contain(
        [
            "Namespace/beacon-system",
            "CustomResourceDefinition/servicegroups.purelb.io",
            "CustomResourceDefinition/lbnodeagents.purelb.io",
            "ClusterRole/beacon-allocator",
            "Deployment/beacon-allocator",
            "StatefulSet/beacon-nats",
            "PodDisruptionBudget/beacon-nats",
            "Service/beacon-nats",
        ]);
        if (root != RenderedManifests.AllocatorOnly)
        {
            documents.Select(d => $"{d.Kind}/{d.Root!["metadata"]!["name"]}").Should().Contain(["DaemonSet/beacon-nodeagent", "DaemonSet/beacon-announcer"]);
        }

        documents.Where(d => d.Kind is not ("Namespace" or "CustomResourceDefinition" or "ClusterRole" or "ClusterRoleBinding"))
            .Should().OnlyContain(d => d.Root!["metadata"]!["namespace"]!.GetValue<string>() == "beacon-system");
    }

    [Theory]
    [MemberData(nameof(Roots))]
    public void Every_rendered_object_of_a_modelled_kind_parses_into_its_typed_model(string root)
    {
        foreach (var document in RenderedManifests.Render(root))
        {
            var json = document.Root!.ToJsonString();
            object? parsed = document.Kind switch
            {
                "Service" => JsonSerializer.Deserialize(json, KubeJsonContext.Default.Service),
                "Namespace" => JsonSerializer.Deserialize(json, KubeJsonContext.Default.Namespace),
                "ServiceGroup" => JsonSerializer.Deserialize(json, KubeJsonContext.Default.ServiceGroup),
                "LBNodeAgent" => JsonSerializer.Deserialize(json, KubeJsonContext.Default.LBNodeAgent),
                _ => "not modelled",
            };
            parsed.Should().NotBeNull($"{document.Kind} from {root} must parse");
        }
    }

    [Theory]
    [MemberData(nameof(Roots))]
    public void Every_rendered_custom_resource_is_valid_against_its_definition(string root)
    {
        var documents = RenderedManifests.Render(root);
        var schemas = documents.Where(d => d.Kind == "CustomResourceDefinition").Select(CustomResourceSchema.FromDefinition).ToList();
        // purelb.io ServiceGroup and LBNodeAgent, plus the metallb.io and network.kubesphere.io kinds.
        schemas.Select(s => s.Kind).Should().Contain(["ServiceGroup", "LBNodeAgent"]);

        foreach (var resource in documents.Where(d => d.ApiVersion?.StartsWith("purelb.io/", StringComparison.Ordinal) == true))
        {
            var schema = schemas.Single(s => s.Kind == resource.Kind && s.ApiVersion == resource.ApiVersion);
            schema.Validate(resource.Root).Should().BeEmpty($"{resource.Kind} {resource.Root!["metadata"]!["name"]} in {root}");
        }
    }

    [Fact]
    public void The_overlays_select_their_announcement_mode()
    {
        string Mode(string root) => RenderedManifests.Single(RenderedManifests.Render(root), "DaemonSet", "beacon-announcer")
            ["spec"]!["template"]!["spec"]!["containers"]!.AsArray()
            .Single(c => c!["name"]!.GetValue<string>() == "announcer")!["env"]!.AsArray()
            .Single(e => e!["name"]!.GetValue<string>() == "BEACON_MODE")!["value"]!.GetValue<string>();

        Mode("k8s/overlays/l2").Should().Be("l2");
        Mode("k8s/overlays/bgp-bird").Should().Be("bird");
    }

    [Fact]
    public void The_shipped_definitions_use_only_schema_keywords_the_validator_checks()
    {
        var documents = RenderedManifests.Render("k8s").Where(d => d.Kind == "CustomResourceDefinition");

        foreach (var definition in documents)
        {
            OpenApiSchemaValidator.UnsupportedKeywords(CustomResourceSchema.FromDefinition(definition).Schema)
                .Should().BeEmpty("otherwise examples would be validated against a partial schema");
        }
    }

    [Fact]
    public void The_embedded_schemas_are_the_shipped_ones()
    {
        var shipped = RenderedManifests.Render("k8s").Where(d => d.Kind == "CustomResourceDefinition")
            .Select(CustomResourceSchema.FromDefinition).ToDictionary(s => s.Kind);

        JsonNode.DeepEquals(shipped["ServiceGroup"].Schema, CustomResourceSchema.ServiceGroup.Schema).Should().BeTrue();
        JsonNode.DeepEquals(shipped["LBNodeAgent"].Schema, CustomResourceSchema.LBNodeAgent.Schema).Should().BeTrue();
    }
}
