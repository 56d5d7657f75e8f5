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

using static Beacon.NodeAgent.Tests.Defence.DefenceObservations;

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
    /// Two nodes that both think they own an address (a node cut off from the bus keeps it, the heir took a copy) answer
    /// each other's announcements at most once per second each, and only for one conflict episode: after at most 3
    /// defences each, one of them gives the address up on the wire and neither sends anything more, so clients stay on
    /// whoever announced last instead of flapping between the two MACs for as long as the bus is away.
    /// </summary>
    [Fact]
    public async Task Two_owners_of_one_address_stop_answering_each_other_after_at_most_three_defences_each()
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

        // B announces the address once (its takeover): A defends, B answers A, and so on until one gives up.
        using var wire = PcapFrameChannel.Open("eth0", filter: "arp", b.Name);
        wire.Send(Announcements.GratuitousArp(ip, wire.Mac));
        await EventuallyAsync(() => Task.FromResult(GivenUp(registries[0]) + GivenUp(registries[1]) >= 1), "one of the owners gives the address up on the wire");
        var defences = registries.Select(Defences).ToArray();
        defences.Should().AllSatisfy(d => d.Should().BeInRange(1, DefenceSchedule.DefaultDefencesPerEpisode));

        // The rest of the episode is silent: no deferred defence (due within a second) nor any answer, from either.
        var buffer = new byte[1600];
        while (wire.ReceiveNow(buffer) > 0)
        {
            // frames of the ping-pong itself, up to now
        }

        var window = System.Diagnostics.Stopwatch.StartNew();
        var frames = 0;
        while (window.Elapsed < TimeSpan.FromSeconds(2.5))
        {
            var length = wire.ReceiveNow(buffer);
            if (length == 0)
            {
                await Task.Delay(50); // a bounded observation window: the event expected is that nothing happens
                continue;
            }

            if (AddressClaim.TryRead(buffer.AsSpan(0, length), out var claim, out _) && claim!.Address.Equals(ip))
            {
                frames++;
            }
        }

        frames.Should().Be(0, "neither owner announces the address after the episode was given up");
        registries.Select(Defences).Should().Equal(defences, "no defence was sent after the episode was given up");
    }

    private static int GivenUp(CollectorRegistry registry) =>
        Count(registry, "beacon_nodeagent_address_conflicts_total{address_family=\"ipv4\",outcome=\"given_up\"}");

    private static int Defences(CollectorRegistry registry) => Count(registry, "beacon_nodeagent_address_defences_total{");
}
