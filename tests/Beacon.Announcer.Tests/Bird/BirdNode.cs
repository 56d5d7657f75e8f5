using Beacon.Announcer.Modes.Bird;
using Beacon.TestSupport.Daemons;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Announcer.Tests.Bird;

/// <summary>A lab node running BIRD towards the router, and a bird mode driving it (a fresh one per "announcer process").</summary>
internal sealed record BirdNode(LabNode Node, BirdDaemon Bird)
{
    public static async Task<BirdNode> StartAsync(BgpLab lab, LabNode node, bool bfd)
    {
        var bird = lab.Own(await BirdDaemon.StartAsync(
            node.Host,
            d => BirdConfigs.Node(node.Ipv4, BgpLab.NodeAsn, BgpLab.UpstreamPeers, d.IncludePath, bfd),
            include: BirdConfigRenderer.Render([], "beacon", node.Name)));
        return new BirdNode(node, bird);
    }

    /// <summary>A new mode instance, as a restarted announcer process would create it.</summary>
    public BirdMode NewMode(string protocolPrefix = "beacon") =>
        new(
            new BirdModeOptions { IncludePath = Bird.IncludePath, ControlSocket = Bird.SocketPath, ProtocolPrefix = protocolPrefix },
            new BirdControlSocket(Bird.SocketPath, TimeSpan.FromSeconds(5)),
            Node.Name,
            NullLogger<BirdMode>.Instance);
}
