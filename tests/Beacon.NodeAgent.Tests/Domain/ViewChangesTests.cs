using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// The agent loop builds the membership view only when <see cref="AgentState.ViewChanges"/> moved or
/// <see cref="AgentState.ViewStableUntil"/> came (issue #15 item 1: at idle nearly every wake is a repeated heartbeat).
/// Skipping must never hide a change: whatever heartbeats (repeated, changed, leaving, our echo in either scope, lost
/// ones) and bus changes arrive when, the view the loop would have skipped is the one it already has.
/// Interval 100 ms, 3 missed heartbeats.
/// </summary>
public sealed class ViewChangesTests
{
    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private static readonly string[] Peers = ["node2", "node3"];

    private static NodeHeartbeat Beat(string node, bool candidate = true, bool leaving = false, string? startId = null) =>
        new(node, "eth0", ["198.18.0.0/24", "fd00:beac::/64"], new LinkState(true, "up", true), new Dictionary<string, string>(), candidate,
            DateTimeOffset.UnixEpoch, startId ?? "start-" + node, leaving);

    private enum Step
    {
        Nothing,
        Echo4,
        Echo6,
        Repeat2,
        Repeat3,
        Changed2,
        Changed3,
        Leave2,
        BusDown,
        BusUp,
    }

    [Property(MaxTest = 400)]
    public Property A_view_the_loop_skips_is_the_view_it_already_has()
    {
        var steps = Gen.ArrayOf(Gen.Zip(Gen.Choose(1, 70), Gen.Elements(Enum.GetValues<Step>())), 200);
        return Prop.ForAll(steps.ToArbitrary(), script =>
        {
            var state = new AgentState(new LocalNode("node1", "eth0", "kube-lb0", true), Ms(100), 3, "s1");
            state.SetLink(new LocalLink(true, "up", true, [Lan4, Lan6]));
            state.SetDesiredState([Service("web", addresses: [Local("198.18.0.10"), Local("198.18.0.11")])]);
            state.BusUp(Ms(0));
            // A repeated heartbeat is the same instance (as the inbox hands over an undecoded repeat); a changed one is new.
            var last = Peers.ToDictionary(p => p, p => Beat(p));
            var (lastChanges, stableUntil, lastView) = (-1L, TimeSpan.Zero, MembershipView.Empty);
            var t = 0;
            foreach (var (delay, step) in script)
            {
                t += delay;
                var now = Ms(t);
                switch (step)
                {
                    case Step.Echo4:
                        state.Heard(Beat("node1", startId: "s1"), MembershipScope.Of(Lan4), now);
                        break;
                    case Step.Echo6:
                        state.Heard(Beat("node1", startId: "s1"), MembershipScope.Of(Lan6), now);
                        break;
                    case Step.Repeat2 or Step.Repeat3:
                        var node = step == Step.Repeat2 ? "node2" : "node3";
                        state.Heard(last[node], MembershipScope.Of(Lan4), now);
                        break;
                    case Step.Changed2 or Step.Changed3:
                        var changed = step == Step.Changed2 ? "node2" : "node3";
                        last[changed] = Beat(changed, candidate: !last[changed].Candidate);
                        state.Heard(last[changed], MembershipScope.Of(Lan4), now);
                        break;
                    case Step.Leave2:
                        state.Heard(Beat("node2", leaving: true), MembershipScope.Of(Lan4), now);
                        last["node2"] = Beat("node2");
                        break;
                    case Step.BusDown when state.BusConnected:
                        state.BusDown(now);
                        break;
                    case Step.BusUp when !state.BusConnected:
                        state.BusUp(now);
                        break;
                }

                if (state.ViewChanges == lastChanges && now < stableUntil)
                {
                    if (!state.View(now).SameAs(lastView))
                    {
                        return false.Label($"at {t} ms after {step}: the view changed with no ViewChanges bump before {stableUntil.TotalMilliseconds} ms");
                    }

                    continue;
                }

                (lastChanges, stableUntil) = (state.ViewChanges, state.ViewStableUntil(now));
                lastView = state.View(now);
            }

            return true.ToProperty();
        });
    }

    [Fact]
    public void A_repeated_heartbeat_does_not_count_as_a_change_and_a_changed_one_does()
    {
        var state = new AgentState(new LocalNode("node1", "eth0", "kube-lb0", true), Ms(100), 3, "s1");
        state.SetLink(new LocalLink(true, "up", true, [Lan4]));
        state.BusUp(Ms(0));
        var beat = Beat("node2");
        state.Heard(beat, MembershipScope.Of(Lan4), Ms(10));
        var changes = state.ViewChanges;

        state.Heard(beat, MembershipScope.Of(Lan4), Ms(60));
        state.ViewChanges.Should().Be(changes, "a repeat only postpones node2's expiry");
        state.ViewStableUntil(Ms(60)).Should().Be(Ms(360), "node2 expires 300 ms after it was last heard, unless heard again");

        state.Heard(Beat("node2", candidate: false), MembershipScope.Of(Lan4), Ms(110));
        state.ViewChanges.Should().BeGreaterThan(changes);
    }
}
