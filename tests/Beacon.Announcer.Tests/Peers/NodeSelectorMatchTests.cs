using Beacon.Announcer.Modes.Peers;
using Beacon.Contracts;
using FsCheck;
using FsCheck.Fluent;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>Kubernetes label-selector semantics, evaluated on the node against its configured labels.</summary>
public sealed class NodeSelectorMatchTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["zone"] = "a", ["rack"] = "3" };

    private static NodeSelector Expr(string key, string op, params string[] values) => new(new Dictionary<string, string>(), [new(key, op, values)]);

    [Theory]
    [InlineData("zone", "In", new[] { "a", "b" }, true)]
    [InlineData("zone", "In", new[] { "b" }, false)]
    [InlineData("zone", "NotIn", new[] { "b" }, true)]
    [InlineData("zone", "NotIn", new[] { "a" }, false)]
    [InlineData("missing", "NotIn", new[] { "a" }, true)]
    [InlineData("rack", "Exists", new string[0], true)]
    [InlineData("missing", "Exists", new string[0], false)]
    [InlineData("missing", "DoesNotExist", new string[0], true)]
    [InlineData("zone", "DoesNotExist", new string[0], false)]
    [InlineData("zone", "Gt", new[] { "a" }, false)]
    public void Expressions_follow_Kubernetes(string key, string op, string[] values, bool matches) =>
        NodeSelectorMatch.Matches(Expr(key, op, values), Labels).Should().Be(matches);

    [Fact]
    public void Labels_and_expressions_must_all_match_and_any_selector_of_a_list_suffices()
    {
        var both = new NodeSelector(new Dictionary<string, string> { ["zone"] = "a" }, [new("rack", "In", ["4"])]);
        NodeSelectorMatch.Matches(both, Labels).Should().BeFalse();
        NodeSelectorMatch.Any([both, PeerSamples.Zone("a")], Labels).Should().BeTrue();
        NodeSelectorMatch.Any([PeerSamples.Zone("b")], Labels).Should().BeFalse();
    }

    [Fact]
    public void An_empty_selector_list_selects_every_node_whatever_its_labels()
    {
        Prop.ForAll<Dictionary<string, string>>(labels =>
            NodeSelectorMatch.Any([], labels.Where(l => l.Key is not null).ToDictionary(l => l.Key, l => l.Value ?? ""))).QuickCheckThrowOnFailure();
    }
}
