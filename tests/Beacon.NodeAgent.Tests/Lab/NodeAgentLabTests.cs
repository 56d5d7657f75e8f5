using System.Diagnostics;
using Beacon.Contracts;
using Beacon.TestSupport.Netns;
using Xunit.Abstractions;

namespace Beacon.NodeAgent.Tests.Lab;

/// <summary>
/// The real agent process, three nodes, real kernel: ownership, ARP/NDP from a client, kube-lb0, Local policy,
/// graceful and ungraceful failover, restarts. Tests share one lab (agents take seconds to start) and run in order of
/// declaration within the class; each starts from <see cref="AgentLab.ResetAsync"/>.
/// </summary>
[Collection(nameof(AgentLabCollection))]
public sealed class NodeAgentLabTests(AgentLab lab, ITestOutputHelper output) : IAsyncLifetime
{
    private static string Ip(string cidr) => cidr.Split('/')[0];

    public Task InitializeAsync() => lab.ResetAsync();

    public async Task DisposeAsync()
    {
        // The agents' recent log lines explain a failure; they cost nothing when the test passes.
        foreach (var node in AgentLab.NodeNames)
        {
            var lines = lab.Agent(node).Output.Split('\n');
            output.WriteLine($"--- {node} agent, last lines ---\n" + string.Join('\n', lines.TakeLast(25)));
        }

        await lab.AssertForeignAddressesIntactAsync();
    }

    [Fact]
    public async Task The_elected_node_holds_each_local_address_and_answers_arp_and_ndp_for_it()
    {
        foreach (var address in Baseline.LocalAddresses)
        {
            (await lab.HoldersAsync(address)).Should().Equal(Baseline.Winner(address, AgentLab.NodeNames));
        }

        var owner4 = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames);
        (await lab.ArpReplierAsync(Ip(Baseline.Web4))).Should().BeEquivalentTo(lab.Macs[owner4]);

        var owner6 = Baseline.Winner(Baseline.Web6, AgentLab.NodeNames);
        (await lab.Client.ExecAsync("ping", "-6", "-c1", "-W2", Ip(Baseline.Web6))).EnsureSuccess();
        (await lab.ClientNeighbourAsync(Ip(Baseline.Web6))).Should().BeEquivalentTo(lab.Macs[owner6], "the owner answers neighbour solicitations");

        var announced = lab.Announcements.Where(a => a.Address == Ip(Baseline.Web4) && a.Role == AnnouncementRole.Owner).Select(a => a.Node);
        announced.Should().Contain(owner4, "every ownership change is published on the bus");
    }

    [Fact]
    public async Task Remote_addresses_sit_on_kube_lb0_of_exactly_the_eligible_nodes_and_local_policy_follows_endpoints()
    {
        (await lab.HoldersAsync(Baseline.Remote, "kube-lb0")).Should().Equal(AgentLab.NodeNames);
        (await lab.HoldersAsync(Baseline.LocalPolicyRemote, "kube-lb0")).Should().Equal("node2");
        (await lab.HoldersAsync(Baseline.LocalPolicyLan)).Should().Equal("node2");

        await lab.Publisher.PublishChangeAsync(Baseline.Service(Baseline.LocalPolicy, TrafficPolicy.Local, ["node1", "node3"], Baseline.LocalPolicyLan, Baseline.LocalPolicyRemote));

        await AgentLab.EventuallyAsync(
            async () => (await lab.HoldersAsync(Baseline.LocalPolicyRemote, "kube-lb0")).SequenceEqual(["node1", "node3"]),
            TimeSpan.FromSeconds(5), "kube-lb0 follows the ready endpoints");
        var lanOwner = Baseline.Winner(Baseline.LocalPolicyLan, ["node1", "node3"]);
        await AgentLab.EventuallyAsync(
            async () => (await lab.HoldersAsync(Baseline.LocalPolicyLan)).SequenceEqual([lanOwner]),
            TimeSpan.FromSeconds(5), "the LAN address moves to a node with endpoints");

        await lab.Publisher.PublishChangeAsync(Baseline.Service(Baseline.LocalPolicy, TrafficPolicy.Local, [], Baseline.LocalPolicyLan, Baseline.LocalPolicyRemote));
        await AgentLab.EventuallyAsync(
            async () => (await lab.HoldersAsync(Baseline.LocalPolicyLan)).Length == 0 && (await lab.HoldersAsync(Baseline.LocalPolicyRemote, "kube-lb0")).Length == 0,
            TimeSpan.FromSeconds(5), "without endpoints nobody carries a Local-policy address");
    }

    [Fact]
    public async Task SIGTERM_on_the_owner_withdraws_and_a_peer_takes_over_without_waiting_for_the_heartbeat_timeout()
    {
        var owner = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames);
        var heir = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames.Where(n => n != owner));

        await lab.StopAgentAsync(owner, NativeSignals.SigTerm);

        (await lab.AddressesAsync(owner)).Should().NotContain(Baseline.LocalAddresses, "a stopping agent withdraws everything it owns");
        (await lab.AddressesAsync(owner, "kube-lb0")).Should().NotContain(Baseline.Remote);
        await AgentLab.EventuallyAsync(async () => (await lab.HoldersAsync(Baseline.Web4)).SequenceEqual([heir]), TimeSpan.FromSeconds(3), "the heir holds the address");
        (await lab.ArpReplierAsync(Ip(Baseline.Web4))).Should().BeEquivalentTo(lab.Macs[heir]);
        lab.Announcements.Should().Contain(a => a.Node == owner && a.Role == AnnouncementRole.Withdrawn && a.Reason == "shutting down");
    }

    [Fact]
    public async Task Node_death_moves_the_address_and_the_clients_neighbour_entry_follows()
    {
        var owner = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames);
        var heir = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames.Where(n => n != owner));
        (await lab.Client.ExecAsync("ping", "-c1", "-W2", Ip(Baseline.Web4))).EnsureSuccess();
        (await lab.ClientNeighbourAsync(Ip(Baseline.Web4))).Should().BeEquivalentTo(lab.Macs[owner]);
        await Task.Delay(1100); // the client accepts a new MAC for an entry at most once per locktime (1 s)

        var clock = Stopwatch.StartNew();
        lab.Agent(owner).Signal(NativeSignals.SigStop);
        await lab.Nodes[owner].SetLinkAsync("eth0", false);
        await lab.Nodes[owner].SetLinkAsync("ctl0", false);
        var followed = await AgentLab.EventuallyAsync(
            async () => string.Equals(await lab.ClientNeighbourAsync(Ip(Baseline.Web4)), lab.Macs[heir], StringComparison.OrdinalIgnoreCase),
            TimeSpan.FromSeconds(5), "the client's neighbour entry points at the heir");
        output.WriteLine($"client followed to {heir} {clock.ElapsedMilliseconds} ms after the freeze ({followed.TotalMilliseconds:F0} ms polling)");
        (await lab.HoldersAsync(Baseline.Web4)).Should().Contain(heir);

        lab.Agent(owner).Signal(NativeSignals.SigCont);
        await lab.Nodes[owner].SetLinkAsync("eth0", true);
        await lab.Nodes[owner].SetLinkAsync("ctl0", true);
        await AgentLab.EventuallyAsync(lab.ConvergedAsync, TimeSpan.FromSeconds(15), "the revived owner takes its addresses back, alone");
    }

    [Fact]
    public async Task A_restarted_agent_does_not_cause_a_second_announcer()
    {
        var owner = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames);
        var heir = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames.Where(n => n != owner));
        await lab.StopAgentAsync(owner, NativeSignals.SigKill);
        // The crashed agent's addresses stay in its kernel, which answers the heir's ARP probe, until their lifetime
        // (10 s by default, no longer refreshed) runs out: only then does the heir take over, so never two answer.
        await AgentLab.EventuallyAsync(async () => (await lab.HoldersAsync(Baseline.Web4)).SequenceEqual([heir]), TimeSpan.FromSeconds(20), "the heir takes over a crashed owner once its address expired");

        lab.StartAgent(owner);
        await lab.WaitReadyAsync(owner, TimeSpan.FromSeconds(60));
        await AgentLab.EventuallyAsync(lab.ConvergedAsync, TimeSpan.FromSeconds(10), "after the restart each address has one holder again");
        for (var i = 0; i < 10; i++)
        {
            foreach (var address in Baseline.LocalAddresses)
            {
                (await lab.HoldersAsync(address)).Should().HaveCount(1, $"{address} must have exactly one announcer after convergence (sample {i})");
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Our_addresses_are_never_left_without_refresh_and_a_deleted_one_is_put_back()
    {
        var owner = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames);
        var details = await lab.Nodes[owner].ExecAsync("ip", "-o", "addr", "show", "dev", "eth0", "to", Baseline.Web4);
        details.StandardOutput.Should().Contain("valid_lft").And.NotContain("valid_lft forever", "a dead agent's addresses must expire");

        await lab.Nodes[owner].IpAsync("addr", "del", Baseline.Web4, "dev", "eth0");

        await AgentLab.EventuallyAsync(async () => (await lab.HoldersAsync(Baseline.Web4)).SequenceEqual([owner]), TimeSpan.FromSeconds(3), "drift is repaired");
    }
}

[CollectionDefinition(nameof(AgentLabCollection))]
public sealed class AgentLabCollection : ICollectionFixture<AgentLab>;

/// <summary>What happens when the control plane (NATS) fails while the LAN keeps working. See docs/architecture.md.</summary>
[Collection(nameof(AgentLabCollection))]
public sealed class NodeAgentControlPlaneTests(AgentLab lab, ITestOutputHelper output) : IAsyncLifetime
{
    public Task InitializeAsync() => lab.ResetAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in AgentLab.NodeNames)
        {
            var lines = lab.Agent(node).Output.Split('\n');
            output.WriteLine($"--- {node} agent, last lines ---\n" + string.Join('\n', lines.TakeLast(25)));
        }

        await lab.AssertForeignAddressesIntactAsync();
    }

    private async Task AssertUnchangedForAsync(SortedSet<string> before, TimeSpan period, string why)
    {
        var watch = Stopwatch.StartNew();
        var samples = 0;
        while (watch.Elapsed < period)
        {
            var now = await lab.EverythingPlumbedAsync();
            now.Except(before).Should().BeEmpty(why);
            before.Except(now).Should().BeEmpty(why);
            samples++;
            await Task.Delay(200);
        }

        output.WriteLine($"{samples} samples over {period.TotalSeconds:F0} s: nothing changed ({why})");
    }

    [Fact]
    public async Task A_hung_or_dead_nats_server_withdraws_nothing_and_changes_made_meanwhile_apply_when_it_returns()
    {
        var before = await lab.EverythingPlumbedAsync();

        lab.NatsServer.Signal(NativeSignals.SigStop);
        try
        {
            await AssertUnchangedForAsync(before, TimeSpan.FromSeconds(3), "a hung server (connections up, nothing delivered) must not make agents claim or drop anything");
        }
        finally
        {
            lab.NatsServer.Signal(NativeSignals.SigCont);
        }

        await lab.KillNatsAsync();
        await AssertUnchangedForAsync(before, TimeSpan.FromSeconds(3), "a dead server must not make agents claim or drop anything");
        await lab.Publisher.PublishChangeAsync(Baseline.Service(new ServiceKey("default", "late"), TrafficPolicy.Cluster, [], "198.18.0.204/32"));

        lab.StartNats();
        var took = await AgentLab.EventuallyAsync(
            async () => (await lab.HoldersAsync("198.18.0.204/32")).SequenceEqual([Baseline.Winner("198.18.0.204/32", AgentLab.NodeNames)]),
            TimeSpan.FromSeconds(20), "a change made while the bus was down is applied once it is back");
        output.WriteLine($"change applied {took.TotalMilliseconds:F0} ms after nats-server was restarted");
        (await lab.ConvergedAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task An_owner_cut_off_from_nats_but_not_from_the_lan_keeps_its_addresses_alone_and_ownership_converges_when_it_returns()
    {
        var owner = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames);
        var heir = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames.Where(n => n != owner));
        var address = Baseline.Web4.Split('/')[0];
        var deferral = $"\"Address\":\"{address}\"";
        var deferralsBefore = lab.Agent(heir).Output.Split('\n').Count(l => l.Contains(deferral, StringComparison.Ordinal) && l.Contains("still answers ARP", StringComparison.Ordinal));

        await lab.Nodes[owner].SetLinkAsync("ctl0", false);

        // Peers still hear each other, so they see the owner go silent and elect the heir; the owner cannot hear itself
        // on the bus, so it freezes its view and keeps serving. The heir probes before taking the address, the owner
        // answers, so the heir leaves it there: one node answers throughout, not two.
        var seen = 0;
        await lab.Agent(heir).WaitForLineAsync(
            l => l.Contains(deferral, StringComparison.Ordinal) && l.Contains("still answers ARP", StringComparison.Ordinal) && ++seen > deferralsBefore,
            TimeSpan.FromSeconds(5));
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(1))
        {
            (await lab.HoldersAsync(Baseline.Web4)).Should().Equal([owner], "the cut-off owner withdraws nothing because of the bus, and its heir does not take a copy while it answers");
        }

        await lab.Nodes[owner].SetLinkAsync("ctl0", true);
        var took = await AgentLab.EventuallyAsync(lab.ConvergedAsync, TimeSpan.FromSeconds(20), "one holder per address once the owner is heard again");
        output.WriteLine($"converged {took.TotalMilliseconds:F0} ms after the control link returned");
    }
}
