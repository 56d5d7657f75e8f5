using System.Text.Json;
using Beacon.Allocator.Formats.Status;
using Beacon.Ipam;

namespace Beacon.Allocator.Tests.Formats.Status;

public sealed class ServiceAnnouncementStatusBuilderTests
{
    private static readonly ServiceKey Web = new("shop", "web");

    [Fact]
    public void One_l2_status_per_service_and_owning_node_with_its_interfaces_labelled_as_metallb_labels_them()
    {
        var statuses = ServiceAnnouncementStatusBuilder.Build(
            [new AnnouncingNode(Web, "node1", "10.0.0.1", "eth0", true), new AnnouncingNode(Web, "node1", "fd00::1", "eth0", true)],
            "beacon-system");

        var status = statuses.Should().ContainSingle().Subject;
        status.Kind.Should().Be("ServiceL2Status");
        status.Metadata.Namespace.Should().Be("beacon-system");
        status.Metadata.Labels.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["metallb.io/node"] = "node1", ["metallb.io/service-name"] = "web", ["metallb.io/service-namespace"] = "shop",
        });
        JsonSerializer.Serialize(status.Status).Should().Be("""{"node":"node1","serviceName":"web","serviceNamespace":"shop","interfaces":[{"name":"eth0"}]}""");
    }

    [Fact]
    public void One_bgp_status_per_service_and_advertising_node_with_the_peers_that_node_hands_its_routes_to()
    {
        var statuses = ServiceAnnouncementStatusBuilder.Build(
            [
                new AnnouncingNode(Web, "node2", "198.18.100.1", "kube-lb0", false, ["tor-c"]),
                new AnnouncingNode(Web, "node1", "198.18.100.1", "kube-lb0", false, ["tor-b"]),
                new AnnouncingNode(Web, "node1", "fd00:100::1", "kube-lb0", false, ["tor-b", "tor-a"]),
            ],
            "beacon-system");

        statuses.Select(s => (s.Kind, s.Status.Node, string.Join(",", s.Status.Peers!))).Should().Equal(
            ("ServiceBGPStatus", "node1", "tor-a,tor-b"), ("ServiceBGPStatus", "node2", "tor-c"));
        JsonSerializer.Serialize(statuses[0].Status).Should().NotContain("interfaces").And.Contain("\"peers\":[\"tor-a\",\"tor-b\"]");
    }

    [Fact]
    public void A_node_that_reported_no_peers_yet_has_an_empty_peer_list_not_a_guess()
    {
        var statuses = ServiceAnnouncementStatusBuilder.Build([new AnnouncingNode(Web, "node1", "198.18.100.1", "kube-lb0", false)], "beacon-system");

        statuses.Should().ContainSingle().Which.Status.Peers.Should().BeEmpty();
    }

    [Fact]
    public void Names_are_stable_for_a_service_and_node_and_differ_otherwise()
    {
        var a = ServiceAnnouncementStatusBuilder.NameOf("l2", "shop", "web", "node1");

        a.Should().MatchRegex("^l2-[0-9a-f]{10}$");
        ServiceAnnouncementStatusBuilder.NameOf("l2", "shop", "web", "node1").Should().Be(a);
        ServiceAnnouncementStatusBuilder.NameOf("l2", "shop", "web", "node2").Should().NotBe(a);
        ServiceAnnouncementStatusBuilder.NameOf("l2", "shop", "api", "node1").Should().NotBe(a);
    }
}
