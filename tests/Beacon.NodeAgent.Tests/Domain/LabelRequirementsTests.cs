using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class LabelRequirementsTests
{
    private static IReadOnlyDictionary<string, string> Parse(params string[] entries)
    {
        LabelRequirements.TryParse(entries, out var labels, out var bad).Should().BeTrue(bad);
        return labels;
    }

    [Fact]
    public void A_selector_selects_nodes_whose_labels_contain_every_pair()
    {
        var labels = Parse("zone=a", "rack = 3", "lb=yes");

        LabelRequirements.Matches(Parse(), labels).Should().BeTrue("an empty selector selects every node");
        LabelRequirements.Matches(Parse("zone=a", "lb=yes"), labels).Should().BeTrue();
        LabelRequirements.Matches(Parse("rack=3"), labels).Should().BeTrue("whitespace around keys and values is trimmed");
        LabelRequirements.Matches(Parse("zone=b"), labels).Should().BeFalse();
        LabelRequirements.Matches(Parse("gpu=yes"), labels).Should().BeFalse();
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=x")]
    public void Entries_that_are_not_key_value_are_reported(string entry)
    {
        LabelRequirements.TryParse(["ok=1", entry], out _, out var bad).Should().BeFalse();
        bad.Should().Be(entry);
    }
}
