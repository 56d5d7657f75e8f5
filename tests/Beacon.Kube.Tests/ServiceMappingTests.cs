using System.Text.Json;
using Beacon.Kube.Json;
using Beacon.Kube.Library;
using Beacon.Kube.Models;
using k8s.Models;

namespace Beacon.Kube.Tests;

/// <summary>The direct Service mapping reads every field Beacon models exactly as the JSON mapping does.</summary>
public sealed class ServiceMappingTests
{
    private static V1Service Full() => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            NamespaceProperty = "shop",
            Uid = "u-1",
            ResourceVersion = "42",
            Generation = 3,
            Labels = new Dictionary<string, string> { ["app"] = "web" },
            Annotations = new Dictionary<string, string> { ["purelb.io/service-group"] = "default" },
            CreationTimestamp = new DateTime(2026, 11, 30, 5, 0, 1, DateTimeKind.Utc),
            Finalizers = ["f"],
            OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Deployment", Name = "web", Uid = "u-2", BlockOwnerDeletion = true, Controller = true }],
        },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer",
            Ports =
            [
                new V1ServicePort { Port = 80, Name = "http", Protocol = "TCP", TargetPort = 8080, NodePort = 30080, AppProtocol = "http" },
                new V1ServicePort { Port = 443, Protocol = "TCP", TargetPort = "https" },
            ],
            Selector = new Dictionary<string, string> { ["app"] = "web" },
            LoadBalancerIP = "10.0.0.5",
            LoadBalancerClass = "purelb.io/purelb",
            ExternalTrafficPolicy = "Local",
            IpFamilies = ["IPv4", "IPv6"],
            IpFamilyPolicy = "PreferDualStack",
            ClusterIP = "10.96.0.10",
            ClusterIPs = ["10.96.0.10", "fd00::10"],
        },
        Status = new V1ServiceStatus
        {
            LoadBalancer = new V1LoadBalancerStatus
            {
                Ingress = [new V1LoadBalancerIngress { Ip = "10.0.0.5", IpMode = "VIP", Ports = [new V1PortStatus { Port = 80, Protocol = "TCP", Error = "x" }] }],
            },
            Conditions =
            [
                new V1Condition
                {
                    LastTransitionTime = new DateTime(2026, 11, 30, 5, 0, 2, DateTimeKind.Utc), Message = "assigned", Reason = "Assigned", Status = "True",
                    Type = "beacon.io/AddressAssigned", ObservedGeneration = 3,
                },
            ],
        },
    };

    [Fact]
    public void Reads_every_modelled_field_as_the_json_mapping_does()
    {
        var library = Full();

        var direct = ServiceMapping.ToRecord(library);
        var throughJson = ModelMapping.ToRecord(library, KubeJsonContext.Default.Service);

        JsonSerializer.Serialize(direct, KubeJsonContext.Default.Service).Should().Be(JsonSerializer.Serialize(throughJson, KubeJsonContext.Default.Service));
    }

    [Fact]
    public void A_status_write_carries_identity_precondition_and_the_whole_status()
    {
        var record = ServiceMapping.ToRecord(Full());

        var written = ServiceMapping.ToLibraryStatus(record);

        written.Metadata.ResourceVersion.Should().Be("42");
        written.Metadata.Name.Should().Be("web");
        written.Metadata.NamespaceProperty.Should().Be("shop");
        ServiceMapping.ToRecord(written).Status.Should().BeEquivalentTo(record.Status);
    }

    [Fact]
    public void A_service_without_spec_or_metadata_maps_to_empty_parts_not_an_exception()
    {
        var record = ServiceMapping.ToRecord(new V1Service());

        record.Metadata.Name.Should().BeNull();
        record.Spec.Type.Should().BeNull();
        record.Status.Should().BeNull();
    }
}
