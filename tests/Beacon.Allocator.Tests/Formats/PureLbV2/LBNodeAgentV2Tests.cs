using System.Text.Json.Nodes;
using Beacon.Allocator.Formats.PureLbV2;

namespace Beacon.Allocator.Tests.Formats.PureLbV2;

public sealed class LBNodeAgentV2Tests
{
    private static LBNodeAgentV2Translation Translate(string json) => LBNodeAgentV2Translator.Translate((JsonObject)JsonNode.Parse(json)!);

    [Fact]
    public void An_empty_spec_takes_purelbs_defaults()
    {
        var settings = Translate("{}").Settings!;

        (settings.LocalInterface, settings.DummyInterface, settings.SendGarp, settings.GarpCount).Should().Be(("default", "kube-lb0", true, 3));
        (settings.GarpInitialDelay, settings.GarpInterval, settings.LocalValidLifetime).Should().Be((TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), (TimeSpan?)TimeSpan.FromSeconds(300)));
        settings.NodeSelector.Matches(new Dictionary<string, string>()).Should().BeTrue();
    }

    [Fact]
    public void Every_v2_field_is_read()
    {
        var translation = Translate("""
            {"nodeSelector":{"matchLabels":{"zone":"a"}},
             "local":{"localInterface":"eth1","dummyInterface":"lb0","interfaces":["eth2","eth3"],
                      "garpConfig":{"enabled":true,"initialDelay":"1s","count":5,"interval":"250ms"},
                      "addressConfig":{"localInterface":{"validLifetime":0}}}}
            """);

        translation.Problems.Where(p => p.Rejected).Should().BeEmpty();
        translation.Problems.Should().BeEmpty("node agents apply interfaces[] and a permanent (0) validLifetime");
        var s = translation.Settings!;
        (s.LocalInterface, s.DummyInterface, s.GarpCount, s.GarpInitialDelay, s.GarpInterval, s.LocalValidLifetime).Should()
            .Be(("eth1", "lb0", 5, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(250), (TimeSpan?)null));
        s.ExtraInterfaces.Should().Equal("eth2", "eth3");
        s.NodeSelector.Matches(new Dictionary<string, string> { ["zone"] = "b" }).Should().BeFalse();
    }

    [Fact]
    public void V1_spellings_are_read_too_and_a_contradiction_between_them_is_rejected()
    {
        Translate("""{"local":{"localint":"eth1","extlbint":"lb1","sendgarp":false}}""").Settings!
            .Should().Match<NodeAgentSettings>(s => s.LocalInterface == "eth1" && s.DummyInterface == "lb1" && !s.SendGarp);
        Translate("""{"local":{"localint":"eth1","localInterface":"eth2"}}""").Problems
            .Should().ContainSingle(p => p.Rejected && p.Field == "spec.local.localInterface" && p.Message == "'eth2' contradicts v1's localint: 'eth1'");
    }

    [Theory]
    [InlineData("""{"local":{"garpConfig":{"count":11}}}""", "spec.local.garpConfig.count", "11 is outside 1 to 10")]
    [InlineData("""{"local":{"garpConfig":{"interval":"soon"}}}""", "spec.local.garpConfig.interval", "'soon' is not a duration such as 100ms or 1s")]
    [InlineData("""{"local":{"addressConfig":{"localInterface":{"validLifetime":30}}}}""", "spec.local.addressConfig.localInterface.validLifetime", "30 must be 0 (permanent) or at least 60 seconds")]
    [InlineData("""{"local":{"addressConfig":{"localInterface":{"validLifetime":120,"preferredLifetime":121}}}}""", "spec.local.addressConfig.localInterface.preferredLifetime", "121 must be between 0 and validLifetime (120)")]
    [InlineData("""{"local":{"interfaces":["a-very-long-interface-name"]}}""", "spec.local.interfaces[0]", "'a-very-long-interface-name' is not an interface name (1 to 15 characters, no '/')")]
    public void Values_outside_purelbs_limits_are_rejected_naming_the_field(string json, string field, string message)
    {
        var translation = Translate(json);

        translation.Settings.Should().BeNull();
        translation.Problems.Should().ContainSingle(p => p.Rejected).Which.Should().Be(new Beacon.Allocator.Formats.FieldProblem(field, message));
    }
}
