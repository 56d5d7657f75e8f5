using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using static Beacon.NodeAgent.Tests.Domain.Desired;

namespace Beacon.NodeAgent.Tests.NodeConfig;

/// <summary>An LBNodeAgent that stops (or starts) selecting the node takes effect at once: no candidacy, no addresses.</summary>
public sealed class SelectionAtRunTimeTests
{
    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private static NodeHeartbeat OwnBeat() =>
        new("node1", "eth0", [], new LinkState(true, "up", true), new Dictionary<string, string>(), true, DateTimeOffset.UnixEpoch, "s1", false);

    [Fact]
    public void A_deselected_node_stops_being_a_candidate_and_drops_its_routed_addresses_and_comes_back_when_selected_again()
    {
        var state = new AgentState(new LocalNode("node1", "eth0", "kube-lb0", true), Ms(100), 3, "s1");
        state.SetLink(new LocalLink(true, "up", true, []));
        state.SetDesiredState([Service("web", addresses: Remote("203.0.113.1"))]);
        state.BusUp(Ms(0));
        for (var t = 0; t <= 1000; t += 100)
        {
            state.Heard(OwnBeat(), Ms(t));
        }

        var now = Ms(1000);
        state.Plan(state.View(now), now)!.Addresses.Should().ContainSingle();
        var version = state.Version;

        state.SetSelected(false);

        state.Version.Should().BeGreaterThan(version, "the agent loop re-plans on a new version");
        state.Candidate(now).Should().BeFalse();
        state.Plan(state.View(now), now)!.Addresses.Should().BeEmpty();

        state.SetSelected(true);
        state.Plan(state.View(now), now)!.Addresses.Should().ContainSingle();
    }
}
