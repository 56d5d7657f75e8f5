using Beacon.Announcer.Modes.L2;
using Beacon.Networking.L2;
using Beacon.TestSupport.Netns;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Announcer.Tests.L2;

/// <summary>
/// The l2 mode against a real client in namespaces: arping and NDP get the node's MAC for owned addresses only
/// (the addresses are not on the node's interface, so only the mode can answer), and a gained address is announced.
/// </summary>
public sealed class L2ModeTests
{
    [Fact]
    public async Task Arping_and_ndp_from_a_client_get_answers_for_owned_addresses_only()
    {
        await using var lab = await NetLab.CreateAsync();
        var lan = await lab.AddSegmentAsync("lan");
        var node = await lab.AddHostAsync("node");
        var client = await lab.AddHostAsync("client");
        var nodeMac = await lan.AttachAsync(node, "eth0", "198.18.0.1/24", "fd00:beac::1/64");
        await lan.AttachAsync(client, "eth0", "198.18.0.2/24", "fd00:beac::2/64");
        await client.IpAsync("neigh", "replace", "198.18.0.100", "lladdr", "02:00:00:00:be:ef", "dev", "eth0", "nud", "stale");
        await using var mode = new L2Mode(["eth0"], NullLogger<L2Mode>.Instance, new AnnouncementOptions { Count = 1 }, node.Name);
        await mode.StartAsync(CancellationToken.None);

        var outcome = await mode.ApplyAsync(
            Desired.Of(Desired.Owned("default/web", "198.18.0.100"), Desired.Owned("default/web", "fd00:beac::100"), Desired.Routed("default/api", "203.0.113.5")),
            CancellationToken.None);

        outcome.Succeeded.Should().BeTrue();
        outcome.Changes.Should().Be(2, "routed kube-lb0 addresses are not ARPed");
        var announced = await WaitForAsync(async () => (await client.IpAsync("neigh", "show", "198.18.0.100")).StandardOutput, s => s.Contains(nodeMac, StringComparison.Ordinal));
        announced.Should().Contain(nodeMac, "the gained address was announced with gratuitous ARP");

        var owned = await client.ExecAsync("arping", "-c", "2", "-w", "3", "-i", "eth0", "198.18.0.100");
        owned.ExitCode.Should().Be(0, owned.StandardOutput);
        owned.StandardOutput.Should().Contain(nodeMac);
        (await client.ExecAsync("arping", "-c", "1", "-w", "2", "-i", "eth0", "203.0.113.5")).ExitCode.Should().NotBe(0);

        _ = await client.ExecAsync("ping", "-6", "-c1", "-W1", "fd00:beac::100");
        var neighbour = await WaitForAsync(async () => (await client.IpAsync("-6", "neigh", "show", "fd00:beac::100")).StandardOutput, s => s.Contains("lladdr", StringComparison.Ordinal));
        neighbour.Should().Contain(nodeMac);

        (await mode.ApplyAsync(Desired.Of(), CancellationToken.None)).Changes.Should().Be(2);
        (await client.ExecAsync("arping", "-c", "1", "-w", "2", "-i", "eth0", "198.18.0.100")).ExitCode.Should().NotBe(0, "a lost address is no longer answered");
        mode.Counters.Malformed.Should().Be(0);
    }

    [Fact]
    public void The_default_route_interface_is_read_from_the_kernel_route_table()
    {
        const string table = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
                             "eth1\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
                             "eth0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
        DefaultRouteInterface.Parse(table).Should().Be("eth0");
        DefaultRouteInterface.Parse("Iface\tDestination\n").Should().BeNull();
    }

    private static async Task<string> WaitForAsync(Func<Task<string>> read, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = await read();
        }

        return value;
    }
}
