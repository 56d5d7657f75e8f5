using System.Net;
using Beacon.NodeAgent.Agent;
using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Kernel;
using Beacon.Networking;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
using Beacon.TestSupport;
using Beacon.TestSupport.Netns;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Beacon.NodeAgent.Tests.Defence;

/// <summary>
/// The conflict watch against the real kernel: a node owning an address, a client with a neighbour entry for it and a
/// third host forging a gratuitous ARP / unsolicited NA for it with another MAC, all on one bridge. What counts is the
/// client's neighbour table: without a defence it keeps the forged MAC (shown first, with the address not owned), with
/// one it is back on the owner's MAC at once.
/// </summary>
public sealed class AddressConflictWatchNamespaceTests
{
    private static readonly MacAddress Forged = MacAddress.Parse("02:00:00:00:be:ef");

    [Theory]
    [InlineData("198.18.0.200", 32)]
    [InlineData("fd00:beac::200", 128)]
    public async Task A_forged_announcement_for_an_owned_address_is_answered_and_the_client_returns_to_the_owner(string address, int prefix)
    {
        var ip = IPAddress.Parse(address);
        var v6 = prefix == 128;
        await using var lab = await NetLab.CreateAsync();
        var lan = await lab.AddSegmentAsync("lan");
        var node = await lab.AddHostAsync("node");
        var client = await lab.AddHostAsync("client");
        var forger = await lab.AddHostAsync("forger");
        var nodeMac = await lan.AttachAsync(node, "eth0", "198.18.0.2/24", "fd00:beac::2/64");
        await lan.AttachAsync(client, "eth0", "198.18.0.1/24", "fd00:beac::1/64");
        await lan.AttachAsync(forger, "eth0", "198.18.0.3/24", "fd00:beac::3/64");
        await node.IpAsync("addr", "add", $"{address}/{prefix}", "dev", "eth0", "nodad");
        var registry = Metrics.NewCustomRegistry();
        using var watch = new AddressConflictWatch(new AgentMetrics(Metrics.WithCustomRegistry(registry)), NullLogger<AddressConflictWatch>.Instance, namespaceName: node.Name);
        using var forgery = PcapFrameChannel.Open("eth0", filter: null, forger.Name);
        var forgedFrame = Announcements.For(ip, Forged);

        // The client learns the owner, then a forged announcement moves it while nobody defends (not owned yet).
        await EventuallyAsync(async () => (await client.ExecAsync(v6 ? ["ping", "-6", "-c1", "-W1", address] : ["ping", "-c1", "-W1", address])).Succeeded, "the client reaches the address");
        (await NeighbourAsync(client, address)).Should().BeEquivalentTo(nodeMac);
        forgery.Send(forgedFrame);
        await EventuallyAsync(async () => string.Equals(await NeighbourAsync(client, address), Forged.ToString(), StringComparison.OrdinalIgnoreCase),
            "without a defence the client's entry follows the forged announcement");

        // Owned: the next forgery is answered and the client is back on the owner's MAC.
        watch.Owned([new PlumbedAddress(ip, prefix, "eth0")]);
        await EventuallyAsync(() => Task.FromResult(watch.Watched.ContainsKey(ip)), "the watch captures for the owned address");
        forgery.Send(forgedFrame);
        var family = v6 ? "ipv6" : "ipv4";
        await EventuallyAsync(() => Task.FromResult(registry.ToPrometheusText().Contains($"beacon_nodeagent_address_defences_total{{address_family=\"{family}\"}} 1", StringComparison.Ordinal)),
            "one defence sent");
        await EventuallyAsync(async () => string.Equals(await NeighbourAsync(client, address), nodeMac, StringComparison.OrdinalIgnoreCase),
            "the client's neighbour entry returns to the owner's MAC");
        registry.ToPrometheusText().Should().Contain($"beacon_nodeagent_address_conflicts_total{{address_family=\"{family}\",outcome=\"defended\"}} 1");
    }

    /// <summary>
    /// Two nodes that both think they own an address (views that disagree) answer each other's announcements: the rate
    /// rule keeps that to about one frame per second each, never a storm, for as long as it lasts.
    /// </summary>
    [Fact]
    public async Task Two_owners_of_one_address_exchange_at_most_one_defence_per_second_each()
    {
        var ip = IPAddress.Parse("198.18.0.200");
        await using var lab = await NetLab.CreateAsync();
        var lan = await lab.AddSegmentAsync("lan");
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        await lan.AttachAsync(a, "eth0", "198.18.0.2/24");
        await lan.AttachAsync(b, "eth0", "198.18.0.3/24");
        var registries = new[] { Metrics.NewCustomRegistry(), Metrics.NewCustomRegistry() };
        using var watchA = new AddressConflictWatch(new AgentMetrics(Metrics.WithCustomRegistry(registries[0])), NullLogger<AddressConflictWatch>.Instance, namespaceName: a.Name);
        using var watchB = new AddressConflictWatch(new AgentMetrics(Metrics.WithCustomRegistry(registries[1])), NullLogger<AddressConflictWatch>.Instance, namespaceName: b.Name);
        watchA.Owned([new PlumbedAddress(ip, 32, "eth0")]);
        watchB.Owned([new PlumbedAddress(ip, 32, "eth0")]);
        await EventuallyAsync(() => Task.FromResult(watchA.Watched.ContainsKey(ip) && watchB.Watched.ContainsKey(ip)), "both watches capture");

        // B announces the address once (its takeover): A defends, B answers A, and so on.
        using (var announcer = PcapFrameChannel.Open("eth0", filter: null, b.Name))
        {
            announcer.Send(Announcements.GratuitousArp(ip, announcer.Mac));
        }

        var window = System.Diagnostics.Stopwatch.StartNew();
        await EventuallyAsync(() => Task.FromResult(Defences(registries[0]) >= 2 && Defences(registries[1]) >= 2), "the two owners answer each other");
        await Task.Delay(TimeSpan.FromSeconds(3) - window.Elapsed); // a measurement window: how many frames over 3 s
        var seconds = window.Elapsed.TotalSeconds;

        foreach (var registry in registries)
        {
            Defences(registry).Should().BeInRange(2, (int)Math.Ceiling(seconds) + 1, $"one defence at once and then at most one per second over {seconds:F1} s");
        }
    }

    private static int Defences(CollectorRegistry registry)
    {
        var line = registry.ToPrometheusText().Split('\n').FirstOrDefault(l => l.StartsWith("beacon_nodeagent_address_defences_total{", StringComparison.Ordinal));
        return line is null ? 0 : (int)double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> NeighbourAsync(NetworkNamespace host, string address)
    {
        var words = (await host.IpAsync("neigh", "show", address, "dev", "eth0")).StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, "lladdr");
        return at >= 0 && at + 1 < words.Length ? words[at + 1] : "";
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("not within 5 s: " + what);
            }

            await Task.Delay(20);
        }
    }
}
