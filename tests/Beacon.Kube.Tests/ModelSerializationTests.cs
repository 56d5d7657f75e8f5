using System.Text.Json;
using Beacon.Kube.Client;
using Beacon.Kube.Models;

namespace Beacon.Kube.Tests;

public sealed class ModelSerializationTests
{
    [Fact]
    public void PureLB_service_groups_parse_in_both_the_legacy_and_the_dual_stack_form()
    {
        const string json = """
            {"apiVersion":"purelb.io/v1","kind":"ServiceGroup","metadata":{"name":"default","namespace":"purelb"},
             "spec":{"local":{"subnet":"192.168.1.0/24","pool":"192.168.1.240-192.168.1.250","aggregation":"default",
                              "v6pool":{"subnet":"fd53:9ef0:8683::/120","pool":"fd53:9ef0:8683::-fd53:9ef0:8683::3","aggregation":"/128"},
                              "v4pools":[{"subnet":"10.0.0.0/24","pool":"10.0.0.0/28","aggregation":"default"}]},
                     "autoAssign":false,"avoidBuggyIPs":true,
                     "allocation":{"priority":10,"namespaces":["web"],"serviceSelector":{"matchLabels":{"lb":"yes"}}}}}
            """;

        var group = JsonSerializer.Deserialize(json, KubeResources.ServiceGroups.TypeInfo)!;

        group.Spec.Local!.Pool.Should().Be("192.168.1.240-192.168.1.250");
        group.Spec.Local.V6Pool!.Aggregation.Should().Be("/128");
        group.Spec.Local.V4Pools.Should().ContainSingle().Which.Pool.Should().Be("10.0.0.0/28");
        group.Spec.AutoAssign.Should().BeFalse();
        group.Spec.AvoidBuggyIPs.Should().BeTrue();
        group.Spec.Allocation!.ServiceSelector!.MatchLabels!["lb"].Should().Be("yes");
    }

    [Fact]
    public void LBNodeAgent_uses_purelb_field_names()
    {
        var agent = new LBNodeAgent
        {
            Metadata = new ObjectMeta { Name = "default", Namespace = "purelb" },
            Spec = new LBNodeAgentSpec { Local = new LBNodeAgentLocal { LocalInterface = "default", ExternalInterface = "kube-lb0", SendGratuitousArp = true } },
        };

        var json = JsonSerializer.Serialize(agent, KubeResources.LBNodeAgents.TypeInfo);

        json.Should().Contain("\"localint\":\"default\"").And.Contain("\"extlbint\":\"kube-lb0\"").And.Contain("\"sendgarp\":true");
        json.Should().NotContain("null", "absent fields are omitted, as the API expects");
    }

    [Fact]
    public void Timestamps_are_written_as_rfc3339_utc_and_lease_times_with_microseconds()
    {
        var when = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234560);
        var lease = new Lease { Metadata = new ObjectMeta { Name = "l", Namespace = "n", CreationTimestamp = when }, Spec = new LeaseSpec { RenewTime = when } };

        var json = JsonSerializer.Serialize(lease, KubeResources.Leases.TypeInfo);
        var back = JsonSerializer.Deserialize(json, KubeResources.Leases.TypeInfo)!;

        json.Should().Contain("\"creationTimestamp\":\"2026-03-04T03:06:07Z\"").And.Contain("\"renewTime\":\"2026-03-04T03:06:07.123456Z\"");
        back.Spec.RenewTime.Should().Be(when);
    }

    [Fact]
    public void Service_fields_with_irregular_names_and_int_or_string_ports_round_trip()
    {
        const string json = """
            {"metadata":{"name":"s","namespace":"n"},
             "spec":{"type":"LoadBalancer","loadBalancerIP":"192.0.2.1","clusterIP":"10.0.0.1","clusterIPs":["10.0.0.1"],
                     "ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","externalTrafficPolicy":"Local",
                     "ports":[{"port":80,"targetPort":"http"},{"port":443,"targetPort":8443,"protocol":"TCP"}]},
             "status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.1","ipMode":"VIP","ports":[{"port":80,"protocol":"TCP"}]}]}}}
            """;

        var service = JsonSerializer.Deserialize(json, KubeResources.Services.TypeInfo)!;
        var again = JsonSerializer.Serialize(service, KubeResources.Services.TypeInfo);

        service.Spec.LoadBalancerIP.Should().Be("192.0.2.1");
        service.Spec.IPFamilies.Should().Equal("IPv4");
        service.Spec.Ports![0].TargetPort!.Value.StringValue.Should().Be("http");
        service.Spec.Ports[1].TargetPort!.Value.IntValue.Should().Be(8443);
        service.Status!.LoadBalancer!.Ingress![0].IpMode.Should().Be("VIP");
        again.Should().Contain("\"loadBalancerIP\":\"192.0.2.1\"").And.Contain("\"targetPort\":\"http\"").And.Contain("\"clusterIPs\"");
    }

    [Fact]
    public void Endpoint_slices_name_their_service_and_keep_unknown_endpoint_fields()
    {
        const string json = """
            {"metadata":{"name":"s-abc","namespace":"n","labels":{"kubernetes.io/service-name":"s"}},"addressType":"IPv4",
             "endpoints":[{"addresses":["10.1.0.5"],"conditions":{"ready":true,"serving":true,"terminating":false},"nodeName":"node-a","targetRef":{"kind":"Pod","name":"p"}}],
             "ports":[{"port":8080,"protocol":"TCP"}]}
            """;

        var slice = JsonSerializer.Deserialize(json, KubeResources.EndpointSlices.TypeInfo)!;

        slice.ServiceName.Should().Be("s");
        slice.Endpoints![0].Conditions!.Ready.Should().BeTrue();
        slice.Endpoints[0].NodeName.Should().Be("node-a");
        JsonSerializer.Serialize(slice, KubeResources.EndpointSlices.TypeInfo).Should().Contain("\"targetRef\"");
    }

    [Fact]
    public void Clone_is_deep()
    {
        var service = TestCluster.LoadBalancer("n", "s", new() { ["a"] = "1" });

        var copy = KubeResources.Services.Clone(service);
        copy.Metadata.Labels!["a"] = "2";

        service.Metadata.Labels!["a"].Should().Be("1");
    }
}
