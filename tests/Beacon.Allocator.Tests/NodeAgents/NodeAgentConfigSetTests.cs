using Beacon.Allocator.Tests.Formats.MetalLb;
using Beacon.Contracts;

namespace Beacon.Allocator.Tests.NodeAgents;

/// <summary>
/// The LBNodeAgents as the Allocator publishes them for the node agents: v1 and v2 in one shape, only the fields the
/// object writes, sorted by name, a rejected one left out and named among the problems.
/// </summary>
public sealed class NodeAgentConfigSetTests
{
    [Fact]
    public void V1_and_v2_objects_are_published_in_one_shape_and_a_rejected_one_is_left_out_and_named()
    {
        var translation = MetalLbManifests.Translate("""
            apiVersion: purelb.io/v1
            kind: LBNodeAgent
            metadata: { name: default, namespace: purelb }
            spec: { local: { localint: eth1, extlbint: lb1, sendgarp: false } }
            ---
            apiVersion: purelb.io/v2
            kind: LBNodeAgent
            metadata: { name: edge, namespace: purelb }
            spec:
              nodeSelector: { matchLabels: { role: edge } }
              local:
                localInterface: eth2
                interfaces: [eth3]
                garpConfig: { enabled: true, initialDelay: 1s, count: 5, interval: 250ms }
                addressConfig: { localInterface: { validLifetime: 120 } }
            ---
            apiVersion: purelb.io/v2
            kind: LBNodeAgent
            metadata: { name: broken, namespace: purelb }
            spec: { local: { garpConfig: { count: 11 } } }
            """);

        translation.NodeAgents.Should().BeEquivalentTo(new[]
        {
            new NodeAgentConfig("purelb/default", null, true, "eth1", "lb1", [], false, null, null, null, null),
            new NodeAgentConfig("purelb/edge", new NodeSelector(new Dictionary<string, string> { ["role"] = "edge" }, []), true, "eth2", null, ["eth3"], true, 5, 250, 1000, 120),
        }, o => o.WithStrictOrdering());
        translation.Problems.Should().Contain(p => p.ToString().Contains("broken", StringComparison.Ordinal) && p.Rejected);
        translation.Problems.Should().NotContain(p => p.ToString().Contains("spec.local.interfaces", StringComparison.Ordinal),
            "interfaces[] is applied by the node agents");
    }

    [Fact]
    public void An_object_without_local_is_published_as_such_and_one_with_a_match_expression_keeps_it()
    {
        var translation = MetalLbManifests.Translate("""
            apiVersion: purelb.io/v2
            kind: LBNodeAgent
            metadata: { name: only-selector, namespace: purelb }
            spec: { nodeSelector: { matchExpressions: [ { key: zone, operator: In, values: [a, b] } ] } }
            """);

        var agent = translation.NodeAgents.Should().ContainSingle().Subject;
        agent.HasLocal.Should().BeFalse();
        agent.NodeSelector!.MatchExpressions.Should().ContainSingle().Which.Should().BeEquivalentTo(new NodeSelectorRequirement("zone", "In", ["a", "b"]));
    }

    [Fact]
    public void No_LBNodeAgent_gives_an_empty_set()
    {
        MetalLbManifests.Translate(MetalLbManifests.Pool("lan", "198.18.0.0/24")).NodeAgents.Should().BeEmpty();
    }
}
