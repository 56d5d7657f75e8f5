using System.Net;
using Beacon.Networking.Netlink;
using Beacon.Networking.Packets;

namespace Beacon.Networking.L2;

/// <summary>
/// Sends gratuitous ARP (IPv4) or unsolicited Neighbor Advertisements (IPv6) for addresses on one interface,
/// through a send-only AF_PACKET socket: neighbours switch their entry to this node's MAC at once.
/// </summary>
public sealed class AddressAnnouncer : IDisposable
{
    private readonly IFrameChannel _channel;

    public AddressAnnouncer(IFrameChannel channel, MacAddress mac)
    {
        _channel = channel ?? throw new ArgumentNullException(nameof(channel));
        Mac = mac;
    }

    /// <summary>The MAC announced (the interface's own).</summary>
    public MacAddress Mac { get; }

    /// <summary>Frames sent so far.</summary>
    public long Sent { get; private set; }

    /// <summary>Opens an announcer on the named interface (inside <paramref name="namespaceName"/> when given).</summary>
    public static AddressAnnouncer Open(string interfaceName, string? namespaceName = null)
    {
        AddressAnnouncer OpenHere()
        {
            using var netlink = RouteNetlinkClient.Open();
            var link = netlink.GetRequiredLink(interfaceName);
            var mac = link.Mac ?? throw new InvalidOperationException($"{interfaceName} has no Ethernet address to announce");
            return new AddressAnnouncer(PacketSocket.Open(link.Index, 0), mac);
        }

        return namespaceName is null ? OpenHere() : NetworkNamespaceScope.Run(namespaceName, OpenHere);
    }

    /// <summary>Announces <paramref name="address"/> <c>Count</c> times, <c>Interval</c> apart (the first at once).</summary>
    public async Task AnnounceAsync(IPAddress address, AnnouncementOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AnnouncementOptions();
        var frame = Announcements.For(address, Mac);
        for (var i = 0; i < options.Count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(options.Interval, cancellationToken);
            }

            await _channel.SendAsync(frame, cancellationToken);
            Sent++;
        }
    }

    public void Dispose() => _channel.Dispose();
}
