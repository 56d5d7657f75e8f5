using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["team"] = "web", ["env"] = "prod" };

    [Theory]
    [InlineData("In", new[] { "web", "api" }, true)]
    [InlineData("In", new[] { "api" }, false)]
    [InlineData("NotIn", new[] { "api" }, true)]
    [InlineData("NotIn", new[] { "web" }, false)]
    [InlineData("Exists", new string[0], true)]
    [InlineData("DoesNotExist", new string[0], false)]
    public void Expressions_follow_Kubernetes_semantics(string op, string[] values, bool expected)
    {
        new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("team", op, values)] }.Matches(Labels).Should().Be(expected);
    }

    [Fact]
    public void Absent_keys_satisfy_NotIn_and_DoesNotExist_only()
    {
        var absent = new Dictionary<string, string>();
        new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("team", "NotIn", ["web"])] }.Matches(absent).Should().BeTrue();
        new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("team", "DoesNotExist", [])] }.Matches(absent).Should().BeTrue();
        new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("team", "In", ["web"])] }.Matches(absent).Should().BeFalse();
    }

    [Fact]
    public void MatchLabels_and_expressions_must_all_hold_and_empty_matches_everything()
    {
        new LabelSelector { MatchLabels = new Dictionary<string, string> { ["env"] = "prod" } }.Matches(Labels).Should().BeTrue();
        new LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["env"] = "prod" },
            MatchExpressions = [new LabelSelectorRequirement("team", "In", ["api"])],
        }.Matches(Labels).Should().BeFalse();
        LabelSelector.Everything.Matches(new Dictionary<string, string>()).Should().BeTrue();
    }
}
