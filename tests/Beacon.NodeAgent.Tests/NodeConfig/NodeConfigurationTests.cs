using Beacon.Contracts;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Tests.NodeConfig;

/// <summary>A node's settings: the applying LBNodeAgent's fields in place of options left at their defaults; options set by the operator win.</summary>
public sealed class NodeConfigurationTests
{
    private static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string> { ["zone"] = "a" };

    private static readonly NodeAgentConfig Full = new(
        "purelb/default", null, true, "eth1", "lb1", [], GarpEnabled: true, GarpCount: 5, GarpIntervalMs: 250, GarpInitialDelayMs: 1000, ValidLifetimeSeconds: 120);

    private static NodeConfiguration Resolve(NodeAgentOptions options, params NodeAgentConfig[] agents) =>
        NodeConfiguration.Resolve(options, Labels, NodeAgentConfigChoice.For(agents, Labels));

    [Fact]
    public void Without_an_LBNodeAgent_the_options_apply_and_gratuitous_announcements_go_out_at_once()
    {
        var config = Resolve(new NodeAgentOptions());

        config.Should().BeEquivalentTo(new NodeConfiguration("default", "kube-lb0", true, new GarpSettings(true, 3, TimeSpan.FromMilliseconds(100), TimeSpan.Zero), new AddressLifetimes(TimeSpan.FromSeconds(10)), null, [], []));
    }

    [Fact]
    public void Every_field_of_the_applying_LBNodeAgent_replaces_an_option_left_at_its_default()
    {
        var config = Resolve(new NodeAgentOptions(), Full);

        (config.Interface, config.DummyInterface, config.AddressLifetime, config.Source).Should().Be(("eth1", "lb1", new AddressLifetimes(TimeSpan.FromSeconds(120)), "purelb/default"));
        config.Garp.Should().Be(new GarpSettings(true, 5, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)));
        config.Overridden.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0, null, null, null)]
    [InlineData(0, 0, null, 0)]
    [InlineData(300, 60, 300, 60)]
    [InlineData(null, 5, 10, 5)]
    public void Lifetimes_are_applied_as_written_with_0_valid_as_permanent(int? valid, int? preferred, int? expectValid, int? expectPreferred)
    {
        var config = Resolve(new NodeAgentOptions(), Full with { ValidLifetimeSeconds = valid, PreferredLifetimeSeconds = preferred });

        config.AddressLifetime.Valid.Should().Be(expectValid is { } v ? TimeSpan.FromSeconds(v) : null);
        config.AddressLifetime.EffectivePreferred.Should().Be(expectPreferred is { } p ? TimeSpan.FromSeconds(p) : expectValid is { } v2 ? TimeSpan.FromSeconds(v2) : null);
    }

    [Fact]
    public void An_address_lifetime_option_wins_over_both_lifetimes_and_names_them()
    {
        var config = Resolve(new NodeAgentOptions { AddressLifetime = TimeSpan.FromSeconds(20) }, Full with { ValidLifetimeSeconds = 0, PreferredLifetimeSeconds = 0 });

        config.AddressLifetime.Should().Be(new AddressLifetimes(TimeSpan.FromSeconds(20)));
        config.Overridden.Should().Equal("addressConfig.localInterface.validLifetime", "addressConfig.localInterface.preferredLifetime");
    }

    [Fact]
    public void Interfaces_add_further_interfaces_but_not_the_dummy_or_the_main_one_and_an_interface_option_sets_them_aside()
    {
        var agent = Full with { Interfaces = ["eth2", "lb1", "eth1", "eth2", "eth3"] };

        Resolve(new NodeAgentOptions(), agent).Extras.Should().Equal("eth2", "eth3");
        var set = Resolve(new NodeAgentOptions { Interface = "bond0" }, agent);
        set.Extras.Should().BeEmpty();
        set.Overridden.Should().Contain("interfaces");
    }

    [Fact]
    public void A_field_the_object_leaves_out_keeps_the_option()
    {
        var config = Resolve(new NodeAgentOptions { GratuitousInterval = TimeSpan.FromMilliseconds(40) }, NodeAgentConfigChoiceTests.Agent("purelb/default"));

        config.Garp.Should().Be(new GarpSettings(true, 3, TimeSpan.FromMilliseconds(40), TimeSpan.Zero));
        (config.Interface, config.AddressLifetime).Should().Be(("default", new AddressLifetimes(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void Options_the_operator_set_win_and_the_hidden_fields_are_named()
    {
        var options = new NodeAgentOptions
        {
            Interface = "bond0",
            DummyInterface = "lb9",
            GratuitousCount = 2,
            GratuitousInterval = TimeSpan.FromMilliseconds(20),
            AddressLifetime = TimeSpan.FromSeconds(30),
        };

        var config = Resolve(options, Full with { GarpEnabled = false });

        (config.Interface, config.DummyInterface, config.AddressLifetime).Should().Be(("bond0", "lb9", new AddressLifetimes(TimeSpan.FromSeconds(30))));
        config.Garp.Should().Be(new GarpSettings(true, 2, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1)), "an explicit --gratuitous-count decides whether to send; initialDelay has no option");
        config.Overridden.Should().BeEquivalentTo(
            "localInterface", "dummyInterface", "garpConfig.count", "garpConfig.interval", "garpConfig.enabled", "addressConfig.localInterface.validLifetime");
    }

    [Fact]
    public void Garp_disabled_by_v2_enabled_false_or_v1_sendgarp_false_sends_nothing()
    {
        var config = Resolve(new NodeAgentOptions(), Full with { GarpEnabled = false });

        config.Garp.Sends.Should().BeFalse();
    }

    [Fact]
    public void A_node_no_LBNodeAgent_selects_owns_nothing_unless_the_operator_gave_a_selector_of_its_own()
    {
        var elsewhere = Full with { NodeSelector = new NodeSelector(new Dictionary<string, string> { ["zone"] = "b" }, []) };

        Resolve(new NodeAgentOptions(), elsewhere).Selected.Should().BeFalse();
        var own = Resolve(new NodeAgentOptions { NodeSelector = ["zone=a"] }, elsewhere);
        own.Selected.Should().BeTrue();
        own.Overridden.Should().Contain("nodeSelector");
        (own.Interface, own.Source).Should().Be(("default", null), "nothing of an object that does not select the node applies");
    }
}
