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

    public Task DisposeAsync() => lab.AssertForeignAddressesIntactAsync();

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
        await AgentLab.EventuallyAsync(async () => (await lab.HoldersAsync(Baseline.Web4)).Contains(heir), TimeSpan.FromSeconds(3), "the heir takes over a crashed owner");

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
