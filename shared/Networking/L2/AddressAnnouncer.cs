using System.Net;
using Beacon.Networking.Packets;

namespace Beacon.Networking.L2;

/// <summary>
/// Sends gratuitous ARP (IPv4) or unsolicited Neighbor Advertisements (IPv6) for addresses on one interface,
/// injected through libpcap (SharpPcap): neighbours switch their entry to this node's MAC at once.
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
        var channel = PcapFrameChannel.Open(interfaceName, filter: null, namespaceName);
        return new AddressAnnouncer(channel, channel.Mac);
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
