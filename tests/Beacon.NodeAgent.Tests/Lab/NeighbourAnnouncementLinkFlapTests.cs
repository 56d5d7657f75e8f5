using System.Net;
using Beacon.NodeAgent.Kernel;
using Beacon.Networking.L2;
using Beacon.TestSupport.Netns;

namespace Beacon.NodeAgent.Tests.Lab;

/// <summary>
/// The gratuitous ARP of an address taken back after the node's link went down and up reaches the LAN. The announcer
/// keeps its packet socket open; the kernel marks such a socket with ENETDOWN when the link goes down and reports it
/// on the next send, which used to lose the whole burst (clients then kept the previous owner's MAC for 8-9 s).
/// </summary>
public sealed class NeighbourAnnouncementLinkFlapTests
{
    private const string StaleMac = "02:00:00:00:be:ef";
    private const string Address = "198.18.0.100";

    [Fact]
    public async Task The_first_announcement_after_a_link_flap_moves_the_clients_neighbour_entry()
    {
        await using var lab = await NetLab.CreateAsync();
        var node = await lab.AddHostAsync("node");
        var client = await lab.AddHostAsync("client");
        await lab.LinkAsync(node, "eth0", client, "eth0");
        await node.IpAsync("addr", "add", "198.18.0.2/24", "dev", "eth0");
        await client.IpAsync("addr", "add", "198.18.0.1/24", "dev", "eth0");
        var nodeMac = (await node.IpAsync("-br", "link", "show", "eth0")).StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        using var announcer = new PacketNeighbourAnnouncer(new AnnouncementOptions { Count = 1 }, node.Name);

        // The socket is open and works before the flap.
        await StaleEntryAsync(client);
        await announcer.AnnounceAsync("eth0", IPAddress.Parse(Address), CancellationToken.None);
        await ClientFollowsAsync(client, nodeMac);

        await node.SetLinkAsync("eth0", false);
        await node.SetLinkAsync("eth0", true);
        await StaleEntryAsync(client);
        await announcer.AnnounceAsync("eth0", IPAddress.Parse(Address), CancellationToken.None);

        await ClientFollowsAsync(client, nodeMac);
    }

    private static Task StaleEntryAsync(NetworkNamespace client) =>
        client.IpAsync("neigh", "replace", Address, "lladdr", StaleMac, "dev", "eth0", "nud", "stale");

    private static async Task ClientFollowsAsync(NetworkNamespace client, string nodeMac)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        string entry;
        while (!(entry = (await client.IpAsync("neigh", "show", Address, "dev", "eth0")).StandardOutput).Contains(nodeMac, StringComparison.OrdinalIgnoreCase)
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        entry.Should().ContainEquivalentOf(nodeMac, "the client's neighbour entry follows the gratuitous ARP");
    }
}
