using Beacon.Contracts;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Tests.NodeConfig;

/// <summary>Which LBNodeAgent applies to a node: PureLB's precedence (specific selectors, then catch-alls, each by name; first with spec.local).</summary>
public sealed class NodeAgentConfigChoiceTests
{
    private static readonly IReadOnlyDictionary<string, string> EdgeNode = new Dictionary<string, string> { ["role"] = "edge", ["zone"] = "a" };

    internal static NodeAgentConfig Agent(string name, NodeSelector? selector = null, bool local = true, string? localInterface = null) =>
        new(name, selector, local, localInterface, null, [], null, null, null, null, null);

    private static NodeSelector Labels(string key, string value) => new(new Dictionary<string, string> { [key] = value }, []);

    [Fact]
    public void No_LBNodeAgent_leaves_the_node_to_its_options()
    {
        NodeAgentConfigChoice.For([], EdgeNode).Should().Be(NodeAgentConfigChoice.None);
    }

    [Fact]
    public void A_specific_selector_beats_a_catch_all_whatever_the_names_and_the_catch_all_is_named_as_ignored()
    {
        var choice = NodeAgentConfigChoice.For([Agent("purelb/a-default"), Agent("purelb/z-edge", Labels("role", "edge"))], EdgeNode);

        choice.Applied!.Name.Should().Be("purelb/z-edge");
        choice.Ignored.Should().Equal("purelb/a-default");
        choice.Deselected.Should().BeFalse();
    }

    [Fact]
    public void Several_specific_matches_resolve_by_name_and_an_empty_selector_counts_as_catch_all()
    {
        var empty = new NodeSelector(new Dictionary<string, string>(), []);
        var choice = NodeAgentConfigChoice.For(
            [Agent("purelb/zone", Labels("zone", "a")), Agent("purelb/edge", Labels("role", "edge")), Agent("purelb/all", empty)], EdgeNode);

        choice.Applied!.Name.Should().Be("purelb/edge");
        choice.Ignored.Should().Equal("purelb/zone", "purelb/all");
    }

    [Fact]
    public void The_first_match_with_a_local_spec_applies_one_without_is_skipped()
    {
        var choice = NodeAgentConfigChoice.For([Agent("purelb/edge", Labels("role", "edge"), local: false), Agent("purelb/default")], EdgeNode);

        choice.Applied!.Name.Should().Be("purelb/default");
        choice.Ignored.Should().Equal("purelb/edge");
    }

    [Fact]
    public void Objects_that_exist_but_select_other_nodes_deselect_this_one()
    {
        var choice = NodeAgentConfigChoice.For([Agent("purelb/core", Labels("role", "core"))], EdgeNode);

        choice.Should().Be(new NodeAgentConfigChoice(null, true, []));
    }

    [Fact]
    public void Match_expressions_select_as_in_Kubernetes()
    {
        var notEdge = new NodeSelector(new Dictionary<string, string>(), [new NodeSelectorRequirement("role", "NotIn", ["edge"])]);
        var inZone = new NodeSelector(new Dictionary<string, string>(), [new NodeSelectorRequirement("zone", "In", ["a", "b"])]);

        NodeAgentConfigChoice.For([Agent("purelb/not-edge", notEdge), Agent("purelb/zone", inZone)], EdgeNode).Applied!.Name.Should().Be("purelb/zone");
    }
}
