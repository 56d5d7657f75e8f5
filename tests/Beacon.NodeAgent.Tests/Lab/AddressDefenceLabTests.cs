using System.Diagnostics;
using System.Net;
using Beacon.Networking;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
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

    private async Task<string> MetricsAsync(string node) =>
        (await lab.Nodes[node].ExecAsync("curl", "-sf", "--max-time", "1", "http://127.0.0.1:9471/metrics")).StandardOutput;
}
