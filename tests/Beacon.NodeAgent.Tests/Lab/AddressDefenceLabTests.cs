using System.Diagnostics;
using System.Net;
using Beacon.Networking;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
using Beacon.NodeAgent.Tests.Defence;
using Xunit.Abstractions;

namespace Beacon.NodeAgent.Tests.Lab;

/// <summary>
/// A host on the LAN (here a non-owner node's namespace, with a MAC nobody has) announces an address the real agent
/// owns: the owner answers at once and the client's neighbour entry is back on the owner's MAC, as the client's kernel
/// shows it. Before the defence the client kept the foreign MAC until its own entry aged out (8-9 s in the lab).
/// </summary>
[Collection(nameof(AgentLabCollection))]
public sealed class AddressDefenceLabTests(AgentLab lab, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly MacAddress Forged = MacAddress.Parse("02:00:00:00:be:ef");

    public Task InitializeAsync() => lab.ResetAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in AgentLab.NodeNames)
        {
            var lines = lab.Agent(node).Output.Split('\n');
            output.WriteLine($"--- {node} agent, last lines ---\n" + string.Join('\n', lines.TakeLast(15)));
        }

        await lab.AssertForeignAddressesIntactAsync();
    }

    [Theory]
    [InlineData(Baseline.Web4)]
    [InlineData(Baseline.Web6)]
    public async Task A_forged_announcement_for_an_owned_address_is_defended_and_the_client_returns_to_the_owner(string cidr)
    {
        var address = cidr.Split('/')[0];
        var v6 = address.Contains(':', StringComparison.Ordinal);
        var owner = Baseline.Winner(cidr, AgentLab.NodeNames);
        var forger = AgentLab.NodeNames.First(n => n != owner);
        (await lab.Client.ExecAsync(v6 ? ["ping", "-6", "-c1", "-W2", address] : ["ping", "-c1", "-W2", address])).EnsureSuccess();
        (await lab.ClientNeighbourAsync(address)).Should().BeEquivalentTo(lab.Macs[owner]);

        using (var forgery = PcapFrameChannel.Open("eth0", filter: null, lab.Nodes[forger].Name))
        {
            forgery.Send(Announcements.For(IPAddress.Parse(address), Forged));
        }

        var clock = Stopwatch.StartNew();
        var family = v6 ? "ipv6" : "ipv4";
        await AgentLab.EventuallyAsync(async () => (await MetricsAsync(owner)).Contains($"beacon_nodeagent_address_conflicts_total{{address_family=\"{family}\",outcome=\"defended\"}}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5), $"{owner} counts the conflict as defended");
        await AgentLab.EventuallyAsync(
            async () => string.Equals(await lab.ClientNeighbourAsync(address), lab.Macs[owner], StringComparison.OrdinalIgnoreCase),
            TimeSpan.FromSeconds(2), "the client's neighbour entry is back on the owner's MAC");
        output.WriteLine($"client back on {owner}'s MAC {clock.ElapsedMilliseconds} ms after the forged announcement (polling)");
        lab.Agent(owner).Output.Should().Contain($"claims {address}, which this node owns: defended at once");
        (await lab.HoldersAsync(cidr)).Should().Equal(owner);
    }

    /// <summary>
    /// The watch's thread sleeps in poll(2) with no timeout while nothing claims an owned address: the kernel filter keeps
    /// the lab's other ARP/NDP traffic out, and no timer wakes it. Counted as context switches of that thread (the only
    /// thread the watch adds) over a 5 s window, beside the whole agent's for scale.
    /// </summary>
    [Fact]
    public async Task The_watch_costs_no_wake_up_while_nothing_claims_an_owned_address()
    {
        var owner = Baseline.Winner(Baseline.Web4, AgentLab.NodeNames);
        var tasks = $"/proc/{lab.Agent(owner).Id}/task";
        var watch = Directory.GetDirectories(tasks).Single(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == "address-defence");
        // The takeover probe's reader, on agents that have probed since they started, sleeps the same way.
        var probes = AgentLab.NodeNames.SelectMany(n => Directory.GetDirectories($"/proc/{lab.Agent(n).Id}/task"))
            .Where(t => File.ReadAllText(Path.Combine(t, "comm")).StartsWith("arp-probe", StringComparison.Ordinal)).ToList();
        var (watchBefore, processBefore, probesBefore) = (ThreadContextSwitches.Of(watch), Directory.GetDirectories(tasks).Sum(ThreadContextSwitches.Of), probes.Sum(ThreadContextSwitches.Of));

        await Task.Delay(TimeSpan.FromSeconds(5)); // a measurement window: nothing to wait for

        var (watchAfter, processAfter, probesAfter) = (ThreadContextSwitches.Of(watch), Directory.GetDirectories(tasks).Sum(ThreadContextSwitches.Of), probes.Sum(ThreadContextSwitches.Of));
        output.WriteLine($"over 5 s: conflict watch thread {watchAfter - watchBefore} context switches, {probes.Count} takeover probe readers {probesAfter - probesBefore}, whole agent {processAfter - processBefore} ({(processAfter - processBefore) / 5.0:F0}/s)");
        (watchAfter - watchBefore).Should().Be(0, "an idle watch never wakes");
        (probesAfter - probesBefore).Should().Be(0, "an idle takeover probe reader never wakes");
    }

    private async Task<string> MetricsAsync(string node) =>
        (await lab.Nodes[node].ExecAsync("curl", "-sf", "--max-time", "1", "http://127.0.0.1:9471/metrics")).StandardOutput;
}
