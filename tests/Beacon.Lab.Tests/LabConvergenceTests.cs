using FsCheck;
using FsCheck.Fluent;

namespace Beacon.Lab.Tests;

/// <summary>
/// When the lab may call itself up: an answering client is not enough, the kernel must show every expected announcer
/// (one BGP session up already answers, while the router still lacks the other ECMP next hops).
/// </summary>
public sealed class LabConvergenceTests
{
    private static readonly string[] Nodes = ["node1", "node2", "node3"];

    [Fact]
    public void A_routed_address_answering_through_some_next_hops_is_not_converged()
    {
        Routed(["node3"], Nodes).Converged.Should().BeFalse();
        Routed(["node2", "node3"], Nodes).Converged.Should().BeFalse();
        Routed(["node3", "node1", "node2"], Nodes).Converged.Should().BeTrue();
    }

    [Fact]
    public void An_unanswered_address_is_not_converged_whatever_the_kernel_shows()
    {
        (Routed(Nodes, Nodes) with { Answer = null }).Converged.Should().BeFalse();
        new LabObservation("demo/web-l2", "198.18.10.200", 80, "layer 2", ["node1"], null).Converged.Should().BeFalse();
    }

    [Fact]
    public void A_layer2_address_is_converged_with_exactly_one_owner()
    {
        LabObservation Owned(params string[] owners) => new("demo/web-l2", "198.18.10.200", 80, "layer 2", owners, "node1");
        Owned().Converged.Should().BeFalse();
        Owned("node1").Converged.Should().BeTrue();
        Owned("node1", "node2").Converged.Should().BeFalse();
    }

    [Fact]
    public void Routed_convergence_is_exactly_equality_of_the_next_hop_set_and_the_expected_set()
    {
        var subset = Gen.SubListOf(Nodes).Select(s => s.ToArray());
        Prop.ForAll(subset.Zip(subset).ToArbitrary(), pair =>
        {
            var (shown, expected) = pair;
            Routed(shown, expected).Converged.Should().Be(shown.ToHashSet().SetEquals(expected));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_sample_manifests_expect_every_node_for_cluster_policy_and_the_endpoint_nodes_for_local()
    {
        var services = LabServiceManifest.ReadAll(Path.Combine(LabPaths.FindRepositoryRoot(AppContext.BaseDirectory), "lab", "manifests"));
        services.Single(s => s.Key == "demo/web-bgp").AnnouncingNodes(Nodes).Should().BeEquivalentTo(Nodes);
        services.Single(s => s.Key == "demo/web-local").AnnouncingNodes(Nodes).Should().BeEquivalentTo("node2", "node3");
    }

    [Fact]
    public void Endpoints_that_are_not_ready_do_not_make_their_node_an_announcer()
    {
        var dir = Directory.CreateTempSubdirectory("beacon-lab-manifests-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "svc.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: { name: api, namespace: shop }
                spec:
                  type: LoadBalancer
                  externalTrafficPolicy: Local
                  ports: [ { port: 443, protocol: TCP } ]
                """);
            File.WriteAllText(Path.Combine(dir.FullName, "slice.yaml"), """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: { name: api-1, namespace: shop, labels: { kubernetes.io/service-name: api } }
                endpoints:
                  - { addresses: [10.0.0.1], conditions: { ready: true }, nodeName: node1 }
                  - { addresses: [10.0.0.2], conditions: { ready: false }, nodeName: node2 }
                """);
            var api = LabServiceManifest.ReadAll(dir.FullName).Single();
            api.EndpointNodes.Should().Equal("node1");
            api.AnnouncingNodes(Nodes).Should().Equal("node1");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static LabObservation Routed(IReadOnlyList<string> shown, IReadOnlyList<string> expected) =>
        new("demo/web-bgp", "198.18.100.10", 80, "BGP/ECMP", shown, "node1", expected);
}
